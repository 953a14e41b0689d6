"""Related articles: editor pins first, then shared tags, then the same category.

Everything returned is in the article's own locale, live and public, and never
the article itself. Pins made in another locale (say, copied over by a
translation) count through their translation in this locale.
"""

from django.db.models import Count

from .conf import get_settings


def related_articles(article, count=None):
    from .models import ArticlePage

    count = get_settings()["RELATED_COUNT"] if count is None else count
    if count <= 0:
        return []
    candidates = (
        ArticlePage.objects.published().filter(locale_id=article.locale_id).exclude(pk=article.pk)
    )
    chosen = []

    def take(ids):
        for pk in ids:
            if len(chosen) >= count:
                return
            if pk not in chosen:
                chosen.append(pk)

    # Works on a saved article and on an unsaved one in preview alike (modelcluster
    # keeps the latter's rows in memory, where select_related is a no-op).
    pins = article.related_pins.select_related("article").order_by("sort_order")
    pin_keys = [pin.article.translation_key for pin in pins]
    if pin_keys:
        by_key = dict(
            candidates.filter(translation_key__in=pin_keys).values_list("translation_key", "pk")
        )
        take(by_key[key] for key in pin_keys if key in by_key)

    tag_ids = [item.tag_id for item in article.tagged_items.all()]
    if len(chosen) < count and tag_ids:
        take(
            candidates.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items", distinct=True))
            .order_by("-shared_tags", "-published_at", "-pk")
            .values_list("pk", flat=True)[: count * 2]
        )

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
    return [pages[pk] for pk in chosen if pk in pages]
