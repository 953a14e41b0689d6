"""Listing totals that cost a sum over a few rows, at any archive size.

A listing's ``total_count`` is the number of visible, listed articles matching its
filters. Counted over the archive, it grows with it (about 150 ms at 100,000 articles
on PostgreSQL), and every publish makes the next listing pay it again. So the counts
are kept per *group*, the articles of one locale directly below one page (a section),
in :class:`prism_news.models.ListingCount`, and a listing whose filters only choose
groups (site, locale, ``child_of``, ``descendant_of``) sums the rows of its groups.

- **Exact, in the same transaction.** Every change that can alter a group's count
  recounts that group, inside the transaction of the change, with the group's row
  locked (``SELECT ... FOR UPDATE`` where the database has it), so two publishes in one
  section cannot both count without the other: the second waits for the first to
  commit and its count starts after it. A recount of one group counts one section in
  one language, not the archive; the writer pays it, not the next reader.
- **Which changes.** A save of an article's row that writes its live flag, expiry,
  date, locale or alias (publish, unpublish, scheduled publication and expiry,
  copies, translations, aliases, which Wagtail unpublishes through a generic ``Page``)
  and a deletion recount its group; a move recounts the groups it leaves and joins.
  A view restriction added or removed anywhere, and a move of any other page,
  recount every group (rare, and what they hide is not one group's business).
- **Time.** Each row keeps ``valid_until``, the first moment its count may change
  without an event (an article dated later, an expiry date). A sum over a row past
  it is not used: the listing counts as before until the next recount.
- **Bulk writes.** Rows inserted without saving through Django (``bulk_create``, raw
  SQL, ``QuerySet.update()`` of those fields) change no count: call
  :func:`recount_all` after them (``benchmarks.archive`` does).

Everything else a listing may filter by (tags, sources, search, field filters) is
counted as before and kept in the response cache (``prism_news.api.listing``).
"""

from django.apps import apps
from django.conf import settings
from django.db import router, transaction
from django.db.models import Exists, F, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Length, Substr
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import Page

from .publication_dates import listed_q
from .visibility import count_with_expiry, visible_q

#: Fields of a page row whose change can move an article in or out of the listings.
LISTING_FIELDS = {"live", "expire_at", "published_at", "locale", "locale_id", "alias_of"}
LISTING_FIELDS |= {"alias_of_id", "path", "depth"}


def _models():
    return apps.get_model("prism_news", "ArticlePage"), apps.get_model("prism_news", "ListingCount")


def group_articles(parent, locale_id):
    """The articles of ``locale_id`` directly below ``parent`` (a page)."""
    ArticlePage, _ = _models()
    return ArticlePage.objects.filter(
        locale_id=locale_id, path__startswith=parent.path, depth=parent.depth + 1
    )


def measure(parent, locale_id, now=None):
    """``(count, valid_until)`` of a group, as :class:`ListingCount` keeps them."""
    now = now or timezone.now()
    articles = group_articles(parent, locale_id)
    listed = articles.filter(visible_q(), listed_q(now))
    count, expires = count_with_expiry(listed)
    upcoming = articles.filter(live=True, published_at__gt=now).aggregate(
        first=Min("published_at")
    )["first"]
    moments = [moment for moment in (expires, upcoming) if moment is not None]
    return count, min(moments, default=None)


def recount(groups):
    """Recount ``groups`` (``(parent_id, locale_id)`` pairs) in the current
    transaction, each row locked while it is counted; a group whose parent is gone
    is left (its row went with it)."""
    _, ListingCount = _models()
    groups = sorted(set(groups))  # one order for every writer: no deadlock
    if not groups:
        return
    parents = Page.objects.in_bulk({parent_id for parent_id, _locale in groups})
    with transaction.atomic(using=router.db_for_write(ListingCount)):
        for parent_id, locale_id in groups:
            parent = parents.get(parent_id)
            if parent is None or locale_id is None:
                continue
            row, _created = ListingCount.objects.select_for_update().get_or_create(
                parent_id=parent_id, locale_id=locale_id
            )
            row.count, row.valid_until = measure(parent, locale_id)
            row.save(update_fields=["count", "valid_until"])


def parent_path(page):
    return page.path[: -page.steplen]


def groups_of(pages):
    """The groups of ``pages`` (articles, as stored or in memory): ``(parent_id,
    locale_id)`` pairs, their parents found by path in one query."""
    pages = [page for page in pages if page.depth and page.depth > 1]
    if not pages:
        return set()
    paths = {parent_path(page) for page in pages}
    ids = dict(Page.objects.filter(path__in=paths).values_list("path", "pk"))
    return {(ids.get(parent_path(page)), page.locale_id) for page in pages} - {(None, None)}


def all_groups():
    """Every group that holds an article, from the rows themselves (one query)."""
    ArticlePage, _ = _models()
    steplen = Page.steplen
    pairs = (
        ArticlePage.objects.filter(depth__gt=1)
        .annotate(parent_path=Substr("path", 1, Length("path") - steplen))
        .values_list("parent_path", "locale_id")
        .distinct()
        .order_by()
    )
    pairs = list(pairs)
    ids = dict(Page.objects.filter(path__in={p for p, _ in pairs}).values_list("path", "pk"))
    return {(ids[path], locale_id) for path, locale_id in pairs if path in ids}


def recount_all():
    """Recount every group, and drop the rows of groups that hold no article any more.
    For bulk writes and rare changes (a view restriction, a section moved)."""
    _, ListingCount = _models()
    groups = all_groups()
    with transaction.atomic(using=router.db_for_write(ListingCount)):
        stale = [
            row.pk
            for row in ListingCount.objects.select_for_update().only("parent_id", "locale_id")
            if (row.parent_id, row.locale_id) not in groups
        ]
        ListingCount.objects.filter(pk__in=stale).delete()
        recount(groups)


# --- Reading


def count_listed(site, *, locale=None, child_of=None, descendant_of=None, now=None):
    """``(count, valid_until)`` of the visible, listed articles of ``site`` (below its
    root or a translation of it), of the language code ``locale`` if given, directly
    below the page ``child_of`` or anywhere below ``descendant_of`` (ids); None when a
    group's count has passed its ``valid_until`` (count the set instead). One query."""
    _, ListingCount = _models()
    if site is None:
        return 0, None
    roots = Page.objects.filter(pk=site.root_page_id)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots = Page.objects.filter(translation_key=Subquery(roots.values("translation_key")))
    in_site = roots.filter(StartsWith(OuterRef("parent__path"), F("path")))
    rows = ListingCount.objects.filter(Exists(in_site))
    if locale is not None:
        rows = rows.filter(locale__language_code=locale)
    if child_of is not None:
        rows = rows.filter(parent_id=child_of)
    if descendant_of is not None:
        below = Page.objects.filter(pk=descendant_of).values("path")[:1]
        rows = rows.filter(StartsWith(F("parent__path"), Subquery(below)))
    found = rows.aggregate(count=Sum("count"), until=Min("valid_until"))
    until = found["until"]
    if until is not None and until <= (now or timezone.now()):
        return None
    return found["count"] or 0, until


# --- Keeping them (signal handlers; prism_news.signal_handlers connects them)


def _is_article_row(instance):
    ArticlePage, _ = _models()
    if isinstance(instance, ArticlePage):
        return True
    model = instance.specific_class  # a generic Page: the content type, from Django's cache
    return model is not None and issubclass(model, ArticlePage)


def on_page_saved(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    """``post_save`` of an article model and of a generic ``Page``: when an article's row
    wrote a field that decides whether it is listed, its group is recounted. Nothing,
    without a query, for any other page or save (a draft's revision saves none of them,
    and a new draft counts nowhere: the importer's lines, a copy left unpublished)."""
    if raw or (update_fields is not None and not LISTING_FIELDS.intersection(update_fields)):
        return
    if created and not instance.live:
        return
    if not _is_article_row(instance):
        return
    recount(groups_of([instance]))


def on_page_deleted(sender, instance, **kwargs):
    if _is_article_row(instance):
        recount(groups_of([instance]))


def on_article_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """An article moved: the group it left and the one it joined. Any other page moved
    (a section, with its articles, perhaps under a view restriction): every group."""
    if _is_article_row(instance):
        locale_id = instance.locale_id
        recount({(parent_page_before.pk, locale_id), (parent_page_after.pk, locale_id)})
    elif instance.numchild:
        recount_all()


def on_restriction(sender, instance, **kwargs):
    """A view restriction added, changed or removed hides or shows every article below
    its page, and aliases anywhere whose original is among them."""
    recount_all()


def on_migrated(sender, using="default", **kwargs):
    """``post_migrate``: a database whose articles have no group counts yet (one from
    before the counts, or filled by a restore) gets them, with the models as they
    are now (a data migration would run with older ones)."""
    ArticlePage, ListingCount = _models()
    if router.db_for_write(ListingCount) != using:
        return
    if not ListingCount.objects.using(using).exists() and ArticlePage.objects.using(using).exists():
        recount_all()
