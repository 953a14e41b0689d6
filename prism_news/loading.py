"""Batch loading for pages that show many articles (listings, related cards).

Each function takes already-fetched articles and attaches what cards and
bylines read, in one query for all of them, so HTML listings and the API alike
make the same number of queries for two cards as for fifty.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

from .caching import depends_on, depends_on_pages
from .conf import get_settings


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
    from .models import CategoryIndexPage
    from .models.querysets import visible_q

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
    from .models import Author

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

    The card renditions (``API_CARD_RENDITIONS``) include the thumbnail the
    HTML card template shows.
    """
    articles = list(articles)
    depends_on_pages(articles)
    attach_categories(articles)
    prefetch_renditions(
        [a.hero_image for a in articles], get_settings()["API_CARD_RENDITIONS"].values()
    )
    return articles


def _byline_rows(article):
    if "article_authors" in getattr(article, "_prefetched_objects_cache", {}):
        return article.article_authors.all()
    return article.article_authors.select_related("author")
