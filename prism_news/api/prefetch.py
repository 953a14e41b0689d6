"""Batch loading for the API: what a page of articles needs, in a fixed number of queries.

Each function takes already-fetched objects and attaches what the
representation functions read, so the number of SQL queries does not grow
with the number of articles or the size of their bodies.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

from ..blocks import page_link_ids
from ..conf import get_settings

#: What every article listing and detail needs alongside the page row.
ARTICLE_SELECT_RELATED = ("locale", "hero_image", "ai_reviewed_by")


def with_article_relations(queryset):
    from ..models import ArticlePageAuthor, ArticlePageTag

    return queryset.select_related(*ARTICLE_SELECT_RELATED).prefetch_related(
        "sources",
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
        Prefetch("article_authors", queryset=ArticlePageAuthor.objects.select_related("author")),
    )


def prefetch_renditions(images, specs):
    """One query for the given renditions of all ``images`` (duplicates allowed)."""
    images = [image for image in images if image is not None]
    if not images or not specs:
        return
    Rendition = get_image_model().get_rendition_model()
    # Drop an earlier, narrower prefetch so Wagtail does not take it as complete.
    for image in images:
        image.__dict__.pop("prefetched_renditions", None)
    prefetch_related_objects(
        list({id(image): image for image in images}.values()),
        Prefetch(
            "renditions",
            queryset=Rendition.objects.filter(filter_spec__in=list(specs)),
            to_attr="prefetched_renditions",
        ),
    )


def attach_categories(articles):
    """Set ``article.category`` for all ``articles`` with one query."""
    from ..models import CategoryIndexPage
    from ..models.querysets import visible_q

    pending = [a for a in articles if "category" not in a.__dict__]
    if not pending:
        return
    parent_paths = {a.path[: -a.steplen] for a in pending}
    categories = CategoryIndexPage.objects.filter(visible_q(), path__in=parent_paths)
    by_path = {page.path: page for page in categories.select_related("locale")}
    for article in pending:
        article.category = by_path.get(article.path[: -article.steplen])


def localize_authors(articles):
    """Attach each article's byline in its own locale (one query for all articles)."""
    from ..models import Author

    rows = {a.pk: [row.author for row in a.article_authors.all()] for a in articles}
    keys = {author.translation_key for authors in rows.values() for author in authors}
    locales = {a.locale_id for a in articles}
    translated = {}
    if keys:
        for author in Author.objects.filter(translation_key__in=keys, locale_id__in=locales):
            translated[(author.translation_key, author.locale_id)] = author
    for article in articles:
        article._prism_authors = [
            translated.get((author.translation_key, article.locale_id), author)
            for author in rows[article.pk]
        ]


def prepare_cards(articles):
    """Everything ``representation.card`` reads, for all ``articles`` at once."""
    articles = list(articles)
    attach_categories(articles)
    prefetch_renditions(
        [a.hero_image for a in articles], get_settings()["API_CARD_RENDITIONS"].values()
    )
    return articles


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

    Page links are rewritten to the linked page's live translation in the
    article's locale (or the linked page itself), in two queries for the whole body.
    """
    from wagtail.models import Page

    from ..models.querysets import visible_q

    link_ids = set()
    images = []
    for child in article.body:
        if child.block_type == "paragraph":
            link_ids.update(page_link_ids(child.value.source))
        elif child.block_type == "image" and child.value["image"] is not None:
            images.append(child.value["image"])
    prefetch_renditions(images, get_settings()["API_RENDITIONS"].values())

    links = {}
    if link_ids:
        keys = dict(Page.objects.filter(pk__in=link_ids).values_list("pk", "translation_key"))
        visible = Page.objects.filter(
            visible_q(), translation_key__in=keys.values()
        ).select_related("locale")
        by_key = {}
        for page in visible:
            # Prefer the article's locale; otherwise keep the page that was linked.
            if page.locale_id == article.locale_id or page.pk in link_ids:
                by_key.setdefault(page.translation_key, {})[page.locale_id == article.locale_id] = (
                    page
                )
        for pk, key in keys.items():
            choices = by_key.get(key, {})
            target = choices.get(True) or choices.get(False)
            links[pk] = page_url_or_none(target)
    return {"prism_page_links": links}


def page_url_or_none(page):
    return page.get_url() if page is not None else None
