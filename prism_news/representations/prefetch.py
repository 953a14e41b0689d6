"""Batch loading for pages that show many articles (listings, related cards).

Each function takes already-fetched articles and attaches what cards,
bylines and bodies read, in one query for all of them, so HTML listings and the
API alike make the same number of queries for two cards as for fifty.

The models call these loaders, so this module does not import them: it asks
Django's app registry for the few it queries (``apps.get_model``).
"""

from django.apps import apps
from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

from ..caching import depends_on, depends_on_pages
from ..conf import get_settings
from ..rich_text_links import link_targets, page_link_ids
from ..visibility import visible_q
from .card import CARD


def prefetch_renditions(images, specs):
    """One query for the given renditions of all ``images`` (duplicates allowed)."""
    images = [image for image in images if image is not None]
    depends_on(*(f"image:{image.pk}" for image in images))
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
    CategoryIndexPage = apps.get_model("prism_news", "CategoryIndexPage")
    pending = [a for a in articles if "category" not in a.__dict__]
    if not pending:
        return
    parent_paths = {a.path[: -a.steplen] for a in pending}
    categories = CategoryIndexPage.objects.filter(visible_q(), path__in=parent_paths)
    by_path = {page.path: page for page in categories.select_related("locale")}
    depends_on_pages(by_path.values())
    for article in pending:
        article.category = by_path.get(article.path[: -article.steplen])


def localize_authors(articles):
    """Attach each article's byline in its own locale (one query for all articles)."""
    Author = apps.get_model("prism_news", "Author")
    rows = {a.pk: [row.author for row in _byline_rows(a)] for a in articles}
    keys = {author.translation_key for authors in rows.values() for author in authors}
    depends_on(*(f"author:{key}" for key in keys))
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
    """Everything a card reads (category, hero thumbnail), for all ``articles`` at once.

    The card renditions (``CARD.renditions()``) are what the HTML card template,
    the feeds and the API's cards show.
    """
    articles = list(articles)
    depends_on_pages(articles)
    attach_categories(articles)
    prefetch_renditions([a.hero_image for a in articles], CARD.rendition_specs())
    return articles


def body_context(article):
    """Context for the body's API representation: page links and images resolved in bulk.

    Page links point at the linked page's visible translation in the article's
    locale (or the linked page itself), in two queries for the whole body; a link
    to a page readers may not see loses its ``href`` (see ``prism_news.rich_text_links``).
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
    links = {pk: page.get_url() if page is not None else None for pk, page in targets.items()}
    return {"prism_page_links": links}


def _byline_rows(article):
    if "article_authors" in getattr(article, "_prefetched_objects_cache", {}):
        return article.article_authors.all()
    return article.article_authors.select_related("author")
