"""What an anonymous reader may see, as SQL conditions.

Below the models (it imports none of prism_news's), so every module that filters
pages can use it: the API, HTML listings, related articles, translations,
rich-text links, feeds and sitemaps.
"""

from django.db.models import CharField, Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def published_q():
    """Not past its expiry date (Wagtail unpublishes expired pages only when a command runs)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def public_q():
    """No view restriction on the page or an ancestor, as one SQL condition.

    Wagtail's ``.public()`` fetches every restriction first, one query each time;
    this asks the database within the same query instead.
    """
    restricted = PageViewRestriction.objects.filter(
        StartsWith(Cast(OuterRef("path"), CharField()), F("page__path"))
    )
    return ~Exists(restricted)


def readable_q():
    """Live, not expired, and without view restrictions on the page or an ancestor."""
    return Q(live=True) & published_q() & public_q()


def original_visible_q():
    """Not an alias, or an alias whose original readers may see.

    An alias shows its original's content wherever it stands in the tree, so a
    view restriction (or expiry) of the original must hide the alias too.
    """
    originals = Page.objects.filter(readable_q(), pk=OuterRef("alias_of_id"))
    return Q(alias_of__isnull=True) | Exists(originals)


def visible_q():
    """What an anonymous reader may see, decided once for every door (API v2 and v3,
    HTML listings, related articles, translations, rich-text links):

    live, not past its expiry date (whether or not ``publish_scheduled`` has run),
    without view restrictions on the page or an ancestor, and, for an alias, the
    same of its original. Everyone gets this view from the public API; HTML pages
    apply Wagtail's own view restrictions on top (see ``prism_news.page_serving``).
    """
    return readable_q() & original_visible_q()


def count_with_expiry(pages):
    """``(count, expires)``: how many of ``pages`` there are (already filtered by
    ``visible_q()``), and the earliest expiry date among them and, for aliases, their
    originals: the first moment the count may change without a publish (None: no such
    moment). One query for a queryset.

    Search results (Wagtail's) are counted as they count themselves; their expiry is the
    earliest of the set searched, which is never later than theirs.
    """
    now = timezone.now()
    earliest = {  # of the dates to come (a date passed changes nothing any more)
        "own": Min("expire_at", filter=Q(expire_at__gt=now)),
        "original": Min("alias_of__expire_at", filter=Q(alias_of__expire_at__gt=now)),
    }
    if isinstance(pages, QuerySet):
        found = pages.aggregate(count=Count("pk"), **earliest)
        count = found["count"]
    else:
        count = pages.count()
        searched = getattr(getattr(pages, "query_compiler", None), "queryset", None)
        if not count or searched is None:
            return count, None
        found = searched.aggregate(**earliest)
    moments = [found["own"], found["original"]]
    return count, min((m for m in moments if m is not None), default=None)
