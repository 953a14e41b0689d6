"""What an anonymous reader may see, as SQL conditions.

Below the models (it imports none of prism_news's), so every module that filters
pages can use it: the API, HTML listings, related articles, translations,
rich-text links, feeds and sitemaps.
"""

from django.db.models import CharField, Exists, F, OuterRef, Q
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
