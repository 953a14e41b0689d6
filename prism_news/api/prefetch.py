"""Batch loading for the API: what a page of articles needs, in a fixed number of queries.

Builds on ``prism_news.loading`` (what cards need, shared with the HTML pages)
with what only the API reads: the full article relations and the body's links
and images. The number of SQL queries does not grow with the number of articles
or the size of their bodies.
"""

from django.db.models import Prefetch

from ..blocks import page_link_ids
from ..conf import get_settings
from ..links import link_targets
from ..loading import attach_categories, localize_authors, prefetch_renditions, prepare_cards

#: What every article listing and detail needs alongside the page row.
ARTICLE_SELECT_RELATED = ("locale", "hero_image", "ai_reviewed_by")


def with_article_relations(queryset):
    from ..models import ArticlePageAuthor, ArticlePageTag

    return queryset.select_related(*ARTICLE_SELECT_RELATED).prefetch_related(
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


def body_context(article):
    """Context for the body's API representation: page links and images resolved in bulk.

    Page links point at the linked page's visible translation in the article's
    locale (or the linked page itself), in two queries for the whole body; a link
    to a page readers may not see loses its ``href`` (see ``prism_news.links``).
    """
    link_ids = set()
    images = []
    for child in article.body:
        if child.block_type == "paragraph":
            link_ids.update(page_link_ids(child.value.source))
        elif child.block_type == "image" and child.value["image"] is not None:
            images.append(child.value["image"])
    prefetch_renditions(images, get_settings()["API_RENDITIONS"].values())

    targets = link_targets(link_ids, prefer=lambda page: page.locale_id == article.locale_id)
    links = {pk: page_url_or_none(page) for pk, page in targets.items()}
    return {"prism_page_links": links}


def page_url_or_none(page):
    return page.get_url() if page is not None else None
