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


def with_article_relations(queryset):
    """The card's related rows, and the sources, tags and byline of article detail."""
    return queryset.select_related(*CARD.select_related).prefetch_related(
        "sources",
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
        Prefetch("article_authors", queryset=ArticlePageAuthor.objects.select_related("author")),
    )


def prepare_listing(articles):
    prepare_cards(articles)
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
