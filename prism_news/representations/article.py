"""The whole article's own shapes: its body and its schema.org NewsArticle (JSON-LD)."""

from ..conf import get_settings
from ..reading_time import count_text, stream_texts
from . import corrections, types
from .byline import author_full_url
from .common import iso, tags
from .images import renditions_of
from .prefetch import body_context


def body(article, context=None) -> list[types.BodyBlock]:
    """The body's blocks, with page links and images resolved in bulk (``body_context``)."""
    return article.body.stream_block.get_api_representation(
        article.body, context={**(context or {}), **body_context(article)}
    )


def word_count(article):
    characters = words = 0
    for text in [article.summary, *stream_texts(article.body)]:
        c, w = count_text(text)
        characters += c
        words += w
    # Japanese and Chinese count characters as words, the usual convention.
    return characters + words


def json_ld_images(image, specs):
    """``image`` in each of ``specs``, as ImageObjects with the sizes the renditions
    really have: Wagtail does not upscale, so ``fill-1200x1200`` of a 900 pixel wide
    source is 900 x 900. Two specs that come out the same (same size) are one image."""
    found = renditions_of(image, specs)
    images, seen = [], set()
    for spec in specs:
        rendition = found[spec]
        if (rendition.width, rendition.height) in seen:
            continue
        seen.add((rendition.width, rendition.height))
        images.append(
            {
                "@type": "ImageObject",
                "url": rendition.full_url,
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    return images


def person(author, article) -> types.Person:
    """An author as schema.org Person, with their page in the article's language."""
    data = {"@type": "Person", "name": author.name}
    if author.role:
        data["jobTitle"] = author.role
    url = author_full_url(author, article)
    if url:
        data["url"] = url
    return data


def json_ld(article) -> types.NewsArticleJsonLd:
    """schema.org NewsArticle for the article, with its AI provenance in IPTC terms."""
    url = article.full_url
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.summary,
        "inLanguage": article.language_code,
        "timeRequired": f"PT{article.reading_time}M",
        "wordCount": word_count(article),
        # schema.org's range is IPTCDigitalSourceEnumeration: a node named by IPTC's own
        # URI (schema.org's members have no equivalent of every IPTC term, humanEdits).
        "digitalSourceType": {"@id": article.digital_source_type},
        "keywords": tags(article),
        "author": [person(a, article) for a in article.localized_authors()],
        "isBasedOn": [
            {
                "@type": "NewsArticle",
                "name": s.title,
                "url": s.url,
                "publisher": {"@type": "Organization", "name": s.publisher},
                **({"inLanguage": s.language_tag} if s.language_tag else {}),
                **({"datePublished": s.published_at.isoformat()} if s.published_at else {}),
            }
            for s in article.sources.all()
        ],
    }
    if article.published_at:
        data["datePublished"] = iso(article.published_at)
    modified = corrections.date_modified(article)
    if modified:
        data["dateModified"] = iso(modified)
    correction = corrections.json_ld(article)
    if correction:
        data["correction"] = correction
    if article.category is not None:
        data["articleSection"] = article.category.title
    if article.hero_image is not None:
        specs = get_settings()["JSON_LD_IMAGE_RENDITIONS"]
        data["image"] = json_ld_images(article.hero_image, specs)
        if article.hero_image_credit:
            data["creditText"] = article.hero_image_credit
    newsroom = article.newsroom_settings
    if newsroom and newsroom.publisher_name:
        publisher = {"@type": "Organization", "name": newsroom.publisher_name}
        if newsroom.publisher_logo:
            logo = newsroom.publisher_logo.get_rendition("max-600x60")
            publisher["logo"] = {
                "@type": "ImageObject",
                "url": logo.full_url,
                "width": logo.width,
                "height": logo.height,
            }
        data["publisher"] = publisher
    return data
