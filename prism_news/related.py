"""Related articles: editor pins first, then shared tags, then the same category.

The shared-tags fill ranks the newest articles sharing a tag with this one (the
newest ``SHARED_TAG_WINDOW`` of their tag rows); among them, more shared tags first,
then newer. It reads the tag rows, which carry copies of their article's live flag,
locale and publication date (:func:`sync_tagged_items` keeps them), through the index
``prism_tagged_newest``: per tag, one index range of at most ``SHARED_TAG_WINDOW``
rows, each checked against its page, so its cost does not grow with the archive.

Everything returned is in the article's own locale, live and public, and never
the article itself. Pins made in another locale (say, copied over by a
translation) count through their translation in this locale.

The article model calls :func:`related_articles`, so this module finds the
models through Django's app registry instead of importing them.
"""

from collections import Counter

from django.apps import apps
from django.db import connections
from django.db.models import Exists, OuterRef, Subquery

from .caching import depends_on
from .conf import get_settings
from .representations.prefetch import prepare_cards

#: How many of the newest tagged rows the shared-tags fill looks at (a row per shared tag).
SHARED_TAG_WINDOW = 100


def related_articles(article, count=None):
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    count = get_settings()["RELATED_COUNT"] if count is None else count
    if count <= 0:
        return []
    candidates = (
        ArticlePage.objects.listed().filter(locale_id=article.locale_id).exclude(pk=article.pk)
    )
    # The fill changes when an article joins or leaves this category or one of these
    # tags; the cards shown depend on their own pages (prepare_cards).
    tag_ids = [item.tag_id for item in article.tagged_items.all()]
    depends_on(
        f"section:{article.path[: -article.steplen]}",
        *(f"tag:{article.locale_id}:{pk}" for pk in tag_ids),
    )
    chosen = []

    def take(ids):
        for pk in ids:
            if len(chosen) >= count:
                return
            if pk not in chosen:
                chosen.append(pk)

    pin_keys = _pinned_translation_keys(article)
    if pin_keys:
        by_key = dict(
            candidates.filter(translation_key__in=pin_keys).values_list("translation_key", "pk")
        )
        take(by_key[key] for key in pin_keys if key in by_key)

    if len(chosen) < count and tag_ids:
        # Among the newest articles sharing a tag: most shared tags first, then newest.
        shared = Counter(_newest_tagged(article, tag_ids, candidates))
        take(sorted(shared, key=lambda pk: -shared[pk]))

    if len(chosen) < count and article.depth > 1:
        parent_path = article.path[: -article.steplen]
        take(
            candidates.filter(path__startswith=parent_path, depth=article.depth)
            .newest_first()
            .values_list("pk", flat=True)[: count * 2]
        )

    if not chosen:
        return []
    pages = candidates.filter(pk__in=chosen).for_cards().in_bulk()
    # Shown as cards everywhere (HTML, API): fetch their categories and thumbnails at once.
    return prepare_cards([pages[pk] for pk in chosen if pk in pages])


def _newest_tagged(article, tag_ids, candidates):
    """The article ids of the newest ``SHARED_TAG_WINDOW`` tag rows among ``tag_ids``
    whose article is a candidate, newest first (an article once per shared tag).

    Each tag's newest rows are an index range (``prism_tagged_newest``) checked row by
    row against the page until ``SHARED_TAG_WINDOW`` pass; the window over all of them
    lies within those ranges. One query.
    """
    ArticlePageTag = apps.get_model("prism_news", "ArticlePageTag")
    is_candidate = Exists(candidates.filter(pk=OuterRef("content_object_id")))
    fields = ("content_object_id", "published_at")
    order = ("-published_at", "-content_object_id")
    ranges = [
        ArticlePageTag.objects.filter(
            tag_id=tag_id,
            locale_id=article.locale_id,
            live=True,
            published_at__isnull=False,
        )
        .filter(is_candidate)
        .order_by(*order)
        for tag_id in dict.fromkeys(tag_ids)
    ]
    if len(ranges) == 1:
        rows = ranges[0].values_list(*fields)[:SHARED_TAG_WINDOW]
    else:
        if connections[ArticlePageTag.objects.db].features.supports_slicing_ordering_in_compound:
            parts = [newest.values_list(*fields)[:SHARED_TAG_WINDOW] for newest in ranges]
        else:  # SQLite: each range as a subquery, since a part of a UNION takes no LIMIT
            parts = [
                ArticlePageTag.objects.filter(
                    pk__in=newest.values("pk")[:SHARED_TAG_WINDOW]
                ).values_list(*fields)
                for newest in ranges
            ]
        rows = parts[0].union(*parts[1:], all=True).order_by(*order)[:SHARED_TAG_WINDOW]
    return [pk for pk, _published_at in rows]


def sync_tagged_items(page_ids):
    """Copy the live flag, locale and publication date of the articles ``page_ids``
    (as stored) onto their tag rows, which the shared-tags fill reads. One query.

    Every save of an article, or of its generic ``Page`` row, that writes one of those
    fields calls it (:func:`on_page_saved`); call it after changing them with
    ``QuerySet.update()`` or raw SQL.
    """
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    ArticlePageTag = apps.get_model("prism_news", "ArticlePageTag")
    page = ArticlePage.objects.filter(pk=OuterRef("content_object_id")).order_by()
    return ArticlePageTag.objects.filter(content_object_id__in=page_ids).update(
        live=Subquery(page.values("live")[:1]),
        locale_id=Subquery(page.values("locale_id")[:1]),
        published_at=Subquery(page.values("published_at")[:1]),
    )


#: The page fields whose copies the tag rows carry (names a save's update_fields may use).
_COPIED = {"live", "locale", "locale_id", "published_at"}


def on_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """``post_save`` of an article model, and of a generic ``Page`` (Wagtail unpublishes
    an alias through one): when the row of an article wrote a copied field, its tag
    rows follow. Nothing, without a query, for any other page or save."""
    if raw or kwargs.get("created"):
        return  # a new article's tag rows are written after it, by their own save()
    if update_fields is not None and not _COPIED.intersection(update_fields):
        return
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    if not isinstance(instance, ArticlePage):
        model = instance.specific_class  # the content type, from Django's cache
        if model is None or not issubclass(model, ArticlePage):
            return
    sync_tagged_items([instance.pk])


def _pinned_translation_keys(article):
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    RelatedArticlePin = apps.get_model("prism_news", "RelatedArticlePin")
    if article.pk and "related_pins" not in getattr(article, "_cluster_related_objects", {}):
        # The saved pins, in one query.
        return list(
            RelatedArticlePin.objects.filter(page=article)
            # Pins made in code may share a sort_order (None): then creation order.
            .order_by("sort_order", "pk")
            .values_list("article__translation_key", flat=True)
        )
    # An unsaved article (a preview) keeps its rows in memory.
    ids = [pin.article_id for pin in article.related_pins.all()]
    keys = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    return [keys[pk] for pk in ids if pk in keys]
