"""Related articles: editor pins first, then shared tags, then the same category.

The shared-tags fill ranks the newest articles sharing a tag with this one
(``SHARED_TAG_WINDOW`` rows of the newest-first index), so its cost does not grow
with the archive; among them, more shared tags first, then newer.

Everything returned is in the article's own locale, live and public, and never
the article itself. Pins made in another locale (say, copied over by a
translation) count through their translation in this locale.

The article model calls :func:`related_articles`, so this module finds the
models through Django's app registry instead of importing them.
"""

from collections import Counter

from django.apps import apps

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
        ArticlePage.objects.published().filter(locale_id=article.locale_id).exclude(pk=article.pk)
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
        # Among the newest articles sharing a tag (an index walk, bounded however large
        # the archive): most shared tags first, then newest.
        rows = (
            candidates.filter(tagged_items__tag_id__in=tag_ids, published_at__isnull=False)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[:SHARED_TAG_WINDOW]
        )
        shared = Counter(rows)
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
