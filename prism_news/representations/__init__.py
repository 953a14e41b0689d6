"""The shapes readers get, built once for every way out: the API (v2 and v3),
HTML templates, feeds, webhooks and structured data.

This package sits below both ``prism_news.models`` and ``prism_news.api``: it
imports neither. The builders take pages and read what the loaders
(``prism_news.representations.prefetch``) attached; ``prism_news.api`` only adapts them to DRF
fields (v2) and, through those fields' annotations, to the v3 schema.

- ``card``: the card (listings, related articles, feeds, webhooks), defined once:
  its fields, the related rows it reads and its renditions;
- ``images``: an image with its renditions and ``srcset``;
- ``byline``: the authors, in the article's language;
- ``ai_involvement``: how AI was involved, the review, the sources;
- ``common``: dates, URLs, reading time, category, tags, disclaimer, translations;
- ``article``: the body and the schema.org NewsArticle (JSON-LD);
- ``types``: all of the above as ``TypedDict``.
"""
