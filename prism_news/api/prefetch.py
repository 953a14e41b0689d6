"""Batch loading for the API: what a page of articles needs, in a fixed number of queries.

Builds on ``prism_news.representations.prefetch`` (what cards and bodies need, shared with the
HTML pages) with what only the API reads: the full article relations. The number
of SQL queries does not grow with the number of articles or the size of their
bodies.
"""

from django.db.models import Prefetch

from ..conf import get_settings
from ..models import ArticlePageAuthor, ArticlePageTag
from ..representations.card import CARD
from ..representations.prefetch import (
    attach_categories,
    localize_authors,
    prefetch_renditions,
    prepare_cards,
)

#: The article rows each API field reads beyond the card's (``CARD.select_related``).
RELATIONS = {
    "sources": lambda: "sources",
    "tags": lambda: Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
    "authors": lambda: Prefetch(
        "article_authors", queryset=ArticlePageAuthor.objects.select_related("author")
    ),
}


def with_article_relations(queryset, fields=tuple(RELATIONS)):
    """The card's related rows, and those of the API ``fields`` named (by default all:
    the sources, tags and byline of an article detail). One query per relation."""
    prefetches = [RELATIONS[name]() for name in RELATIONS if name in fields]
    return queryset.select_related(*CARD.select_related).prefetch_related(*prefetches)


def listing_relations(fields_parameter):
    """The names of :data:`RELATIONS` a listing's ``fields`` parameter may show: none for
    the card (no parameter), every one for ``*``. Read loosely (any mention counts):
    Wagtail's own parser refuses what is not a field afterwards."""
    if fields_parameter is None:
        return ()
    named = {part.strip().lstrip("-").split("(")[0] for part in fields_parameter.split(",")}
    if "*" in named:
        return tuple(RELATIONS)
    return tuple(name for name in RELATIONS if name in named)


def prepare_listing(articles, fields=tuple(RELATIONS)):
    prepare_cards(articles)
    if "authors" in fields:
        localize_authors(articles)
    return articles


def prepare_detail(article):
    """Everything an article detail reads that batching can save."""
    conf = get_settings()
    attach_categories([article])
    localize_authors([article])
    specs = {*conf["API_RENDITIONS"].values(), *conf["JSON_LD_IMAGE_RENDITIONS"]}
    prefetch_renditions([article.hero_image], specs)
    return article
