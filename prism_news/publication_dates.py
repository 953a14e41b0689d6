"""An article's dates as readers meet them: listed from its ``published_at`` on, and
modified when what readers see changes.

A live article dated later than now (an editor set ``published_at`` ahead, say to hold a
story until a press conference) can be read at its URL, in the HTML and through the API's
detail and ``find``, but no listing names it until that moment: not the home page, its
section, the feeds, related articles, the API's v2 and v3 listings (search included), the
search page or the sitemaps. A link someone was given works; nobody finds the story
before its date. (``go_live_at`` is the way to keep an article unreadable until a moment:
Wagtail publishes it then.)

Nothing happens at that moment (no publish, no signal), so whatever keeps a listing keeps it
no later than the next ``published_at`` to come: the response cache, ``max-age``, and the
counts kept apart from the answers (:func:`next_publication`, :func:`listed_count`). That
moment is one for the whole site (the earliest among all live articles), read from the cache
(``members``, which every publish invalidates) and, on a miss, with one query.

"Now" is the clock of the server answering, as for ``expire_at``: a server whose clock is
behind lists a just-published article (dated by another server's clock) that much later.

``dateModified`` (JSON-LD) and ``article:modified_time`` (Open Graph) are
:func:`date_modified`: the latest of ``published_at``, the editor's ``updated_at`` and
``content_changed_at``, which :func:`note_content_change` stamps when a live article is
written with content readers have not seen (a digest of it is kept beside it). Publishing
the same content again, or changing what readers do not see (a tag, a pin, the review),
moves nothing.

The module is below the models: it finds ``ArticlePage`` through Django's app registry.
"""

from django.apps import apps
from django.db.models import Min, Q
from django.utils import timezone

from .ai_review import content_fingerprint
from .caching import store
from .caching.dependencies import current, depends_until
from .conf import get_settings
from .visibility import count_with_expiry

#: Where :func:`next_publication` is kept (in the response cache's cache).
NEXT_PUBLICATION_KEY = "prism_news:next-publication"


def listed_q(now=None):
    """Article rows a listing may show (besides ``visible_q``): dated, and not later than
    ``now``. On ``ArticlePage`` querysets; for a queryset of pages see :func:`only_listed`."""
    return Q(published_at__lte=now or timezone.now())


def upcoming_articles(now=None):
    """The ids of the articles dated later than ``now`` (a subquery of ``ArticlePage``,
    which its subclasses' rows are part of)."""
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    return ArticlePage.objects.filter(published_at__gt=now or timezone.now()).values("pk")


def only_listed(queryset, now=None):
    """``queryset`` without the articles a listing may not show yet: a filter on the rows
    themselves for articles (an ordered index walk starts at ``now``), ``pk__in`` for pages
    of any type (which search backends can read), other pages untouched."""
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    if issubclass(queryset.model, ArticlePage):
        return queryset.filter(listed_q(now))
    if issubclass(ArticlePage, queryset.model):  # Page: articles among other pages
        return queryset.exclude(pk__in=upcoming_articles(now))
    return queryset  # sections, policy pages, the host's page types: no article among them


def _first_to_come():
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    upcoming = ArticlePage.objects.filter(live=True, published_at__gt=timezone.now())
    moment = upcoming.aggregate(first=Min("published_at"))["first"]
    return moment, moment  # the value, and the moment it stops being true


def next_publication():
    """The earliest ``published_at`` later than now among live articles, or None, and
    record that the response being made may not outlive it (it lists articles).

    Only asked while a response is being made (outside one nothing keeps a listing):
    None then, without a query. With ``RESPONSE_CACHE``, kept in its cache until a publish
    (``members``) or until it passes; otherwise (and on a miss) one query, an index range
    of the articles dated later than now.
    """
    if current() is None:
        return None
    if not get_settings()["RESPONSE_CACHE"]:
        moment, _expires = _first_to_come()
        depends_until(moment)
        return moment
    return store.cached_value(NEXT_PUBLICATION_KEY, ("members",), _first_to_come, expiring=True)


def listed_count(queryset):
    """``(count, expires)`` as :func:`prism_news.visibility.count_with_expiry` gives it for
    a listed set, ``expires`` no later than the next publication (which adds one)."""
    count, expires = count_with_expiry(queryset)
    upcoming = next_publication()
    moments = [moment for moment in (expires, upcoming) if moment is not None]
    return count, min(moments, default=None)


# --- When the content last changed (schema.org dateModified)


def note_content_change(article):
    """Before ``article`` (live) is written with all its fields, e.g. when a revision is
    published: stamp ``content_changed_at`` if what readers see differs from what they
    saw. Returns the names of the fields it set.

    What readers see is :func:`prism_news.ai_review.content_fingerprint` (the title,
    summary, body, hero image and its texts, sources and AI facts), kept in
    ``published_fingerprint`` at each such save: comparing two digests costs no query and
    no earlier revision. The first one (a first publication, or a row from before the
    field) only records it: an article's first version changes nothing.
    """
    fingerprint = content_fingerprint(article)
    if fingerprint == article.published_fingerprint:
        return []
    if article.published_fingerprint:
        article.content_changed_at = timezone.now()
    article.published_fingerprint = fingerprint
    return ["published_fingerprint", "content_changed_at"]


def date_modified(article):
    """When the article readers see last changed: the latest of its publication date,
    the editor's "updated at" and the last change of its content (never before it was
    published; republishing the same content moves none of them)."""
    moments = [article.published_at, article.updated_at, article.content_changed_at]
    return max((moment for moment in moments if moment is not None), default=None)
