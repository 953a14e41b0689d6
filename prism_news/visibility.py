"""What an anonymous reader may see, as SQL conditions.

Below the models (it imports none of prism_news's), so every module that filters
pages can use it: the API, HTML listings, related articles, translations,
rich-text links, feeds and sitemaps.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Hiders:
    """What, besides a page's own state (live, expiry), may hide pages from readers.

    Each flag that is off drops a part of :func:`visible_q` that could hide nothing:
    the anti-join on view-restriction paths, and the check of an alias's original.
    Both cost the most where a set is counted (every row of the archive is tested).
    The default, everything on, is right whatever the database holds; :func:`hiders`
    finds out which parts a query made now can do without.
    """

    #: A view restriction on one of the pages in question or above them.
    restrictions: bool = True
    #: A view restriction anywhere: an alias's original may stand anywhere in the tree.
    restrictions_anywhere: bool = True
    #: A live alias among the pages in question whose original readers may not see.
    aliases: bool = True


#: Every part of the condition: right whatever the database holds.
EVERY_HIDER = Hiders()


def _restrictions_over(path):
    """View restrictions on the page at ``path`` (an expression), above it or below it."""
    below = StartsWith(F("page__path"), path)
    above = StartsWith(Cast(path, CharField()), F("page__path"))
    return PageViewRestriction.objects.filter(Q(below) | Q(above))


def _hidden_aliases():
    """Live aliases whose original readers may not see (the only ones the alias part
    of :func:`visible_q` hides: an alias that is not live is hidden anyway)."""
    readable_original = Page.objects.filter(readable_q(), pk=OuterRef("alias_of_id"))
    return Page.objects.filter(alias_of__isnull=False, live=True).filter(~Exists(readable_original))


def with_hiders(roots):
    """``roots`` (a queryset of pages) annotated with what may hide the pages below each
    of them: ``restricted_below`` (a view restriction on, above or below the root),
    ``restricted_anywhere`` and ``hidden_alias_below`` (see :class:`Hiders`). Read with
    the roots in the same query: a site's visibility condition costs no query of its own.
    """
    return roots.annotate(
        restricted_below=Exists(_restrictions_over(OuterRef("path"))),
        restricted_anywhere=Exists(PageViewRestriction.objects.all()),
        hidden_alias_below=Exists(
            _hidden_aliases().filter(StartsWith(F("path"), OuterRef("path")))
        ),
    )


def hiders(roots=None):
    """:class:`Hiders` for the pages below ``roots`` (a list of pages annotated by
    :func:`with_hiders`), or, without ``roots``, for every page (one query).

    True for what the database holds at the moment of asking: a condition made from
    them is for the queries of one request, never to be kept longer.
    """
    if roots is None:
        found = (
            # Any one row carries the two answers: the first by path (the tree's root) is
            # an index's first entry (``depth`` has no index: filtering by it scans).
            Page.objects.order_by("path")
            .annotate(
                restricted=Exists(PageViewRestriction.objects.all()),
                hidden_alias=Exists(_hidden_aliases()),
            )
            .values_list("restricted", "hidden_alias")
            .first()
        )
        if found is None:  # no tree at all: nothing to leave out of the condition
            return EVERY_HIDER
        restricted, hidden_alias = found
        return Hiders(restricted, restricted, hidden_alias)
    if not roots:
        return EVERY_HIDER
    return Hiders(
        restrictions=any(root.restricted_below for root in roots),
        restrictions_anywhere=roots[0].restricted_anywhere,
        aliases=any(root.hidden_alias_below for root in roots),
    )


def readable_q(restrictions=True):
    """Live, not expired, and (with ``restrictions``, the default) without view
    restrictions on the page or an ancestor."""
    readable = Q(live=True) & published_q()
    return readable & public_q() if restrictions else readable


def original_visible_q(restrictions=True):
    """Not an alias, or an alias whose original readers may see.

    An alias shows its original's content wherever it stands in the tree, so a
    view restriction (or expiry) of the original must hide the alias too.
    """
    originals = Page.objects.filter(readable_q(restrictions), pk=OuterRef("alias_of_id"))
    return Q(alias_of__isnull=True) | Exists(originals)


def visible_q(hiders=EVERY_HIDER):
    """What an anonymous reader may see, decided once for every door (API v2 and v3,
    HTML listings, related articles, translations, rich-text links):

    live, not past its expiry date (whether or not ``publish_scheduled`` has run),
    without view restrictions on the page or an ancestor, and, for an alias, the
    same of its original. Everyone gets this view from the public API; HTML pages
    apply Wagtail's own view restrictions on top (see ``prism_news.page_serving``).

    ``hiders`` (see :func:`hiders`) leaves out the parts that cannot hide anything
    at the moment; without it, the condition is complete.
    """
    visible = readable_q(hiders.restrictions)
    if hiders.aliases:
        visible &= original_visible_q(hiders.restrictions_anywhere)
    return visible


def count_with_expiry(pages):
    """``(count, expires)``: how many of ``pages`` there are (already filtered by
    ``visible_q()``), and the earliest expiry date among them and, for aliases, their
    originals: the first moment the count may change without a publish (None: no such
    moment). Two queries (one when nothing is counted).

    Search results (Wagtail's) are counted as they count themselves; their expiry is the
    earliest of the set searched, which is never later than theirs.
    """
    now = timezone.now()
    # Of the dates to come (a date passed changes nothing any more). The originals' in a
    # query of their own over the aliases alone: joined to every row of the set, they
    # made the count hash the whole page table (a third of it at 100,000 articles).
    own = Min("expire_at", filter=Q(expire_at__gt=now))
    original = Min("alias_of__expire_at", filter=Q(alias_of__expire_at__gt=now))
    if isinstance(pages, QuerySet):
        found = pages.aggregate(count=Count("pk"), own=own)
        count = found["count"]
    else:
        count = pages.count()
        pages = getattr(getattr(pages, "query_compiler", None), "queryset", None)
        if not count or pages is None:
            return count, None
        found = pages.aggregate(own=own)
    if count:
        aliases = pages.filter(alias_of__isnull=False)
        found |= aliases.aggregate(original=original)
    moments = [found["own"], found.get("original")]
    return count, min((m for m in moments if m is not None), default=None)
