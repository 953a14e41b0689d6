"""Article listings that cost the same at 1,000 articles as at 100,000.

- **Newest first from an index.** The default order is ``published_at`` then id,
  both columns of the article table, descending, served by the index
  ``prism_articles_newest`` (migration 0004): the database walks the index and
  stops after ``limit`` visible rows instead of sorting the archive. Articles
  without a publication date (never published) are not listed.
- **Visibility per row.** For listings the visibility rule is applied to the
  article rows directly (``visible_q``), not through a set of all visible ids,
  so nothing is computed for rows the walk never reaches.
- **Cursors.** Each page of a default-ordered listing carries an opaque
  ``next_cursor``; ``?cursor=`` continues from there with an index seek, however
  deep.
- **Deferred join for deep offsets.** From ``API_DEFERRED_JOIN_OFFSET`` on, the
  offset is walked over ids alone and the rows are fetched for the page only.
- **The total.** ``total_count`` is counted once per set of filters and kept in
  the response cache until an article joins or leaves a listing, the first
  expiry date among the articles it counts passes, or the next ``published_at`` to come
  (``prism_news.publication_dates``).
"""

import hashlib
from urllib.parse import urlencode

from django.apps import apps
from django.core import signing
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from wagtail.api.v2.utils import page_models_from_string

from ..caching import SEARCH_TAG, store
from ..conf import get_settings
from ..listing_counts import count_listed
from ..publication_dates import listed_count
from . import params
from .public import requested_site

NEWEST_FIRST = ("-published_at", "-pk")
_SALT = "prism_news.api.cursor"
#: Parameters that choose the page, not the set (left out of the cached count's key).
WINDOW = {"limit", "offset", "cursor", "fields"}
#: Parameters that choose only groups of articles (``prism_news.listing_counts``) or
#: their order: a listing with no others is counted from the kept group counts.
GROUP_PARAMETERS = {"type", "locale", "child_of", "descendant_of", "site", "order", "format"}


def newest_first(queryset):
    return queryset.filter(published_at__isnull=False).order_by(*NEWEST_FIRST)


def make_cursor(article):
    """Opaque to clients (signed, so a made-up one is refused rather than trusted)."""
    signer = signing.Signer(salt=_SALT)
    return signer.sign_object([article.published_at.isoformat(), article.pk], compress=True)


def after_cursor(queryset, value):
    """The articles after the one ``value`` points at, in newest-first order."""
    try:
        published, pk = signing.Signer(salt=_SALT).unsign_object(value)
        published = parse_datetime(published)
        if published is None or not isinstance(pk, int):
            raise ValueError
    except (signing.BadSignature, ValueError, TypeError):
        raise params.ParameterError("cursor", "not a cursor this API gave") from None
    return queryset.filter(Q(published_at__lt=published) | Q(published_at=published, pk__lt=pk))


def window(queryset, offset, limit):
    """``queryset[offset:offset + limit]``, ids first from the deferred-join offset on."""
    if offset < get_settings()["API_DEFERRED_JOIN_OFFSET"]:
        return list(queryset[offset : offset + limit])
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    rows = queryset.filter(pk__in=ids).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def total_count(request, queryset):
    """``queryset.count()``, kept per set of filters until listings change.

    Counting the visible articles is the one part of a listing that grows with the
    archive; ``API_COUNT_CACHE`` keeps it (in the response cache's cache) until an
    article joins or leaves a listing, whether or not whole answers are cached.
    """
    if not get_settings()["API_COUNT_CACHE"]:
        found = _count_by_groups(request)
        return queryset.count() if found is None else found[0]
    chosen = sorted((k, v) for k, v in request.GET.lists() if k not in WINDOW)
    raw = f"{request.get_host()}\n{request.path}\n{urlencode(chosen, doseq=True)}"
    key = "prism_news:count:" + hashlib.sha256(raw.encode()).hexdigest()
    # Kept no later than the first expiry among what it counts (no event marks it).
    tags = ("members", "nav")
    if params.search_words(request.GET.get("search", "")) is not None:
        # A search's count also follows the index, which the worker updates after the
        # publication that invalidated "members" (prism_news.search_index).
        tags += (SEARCH_TAG,)
    return store.cached_value(key, tags, lambda: _count(request, queryset), expiring=True)


def _count(request, queryset):
    """``(count, expires)``: from the kept group counts when the filters only choose
    groups, else counted."""
    found = _count_by_groups(request)
    return listed_count(queryset) if found is None else found


def group_filters(request):
    """The groups a listing's filters choose, as :func:`prism_news.listing_counts.count_listed`
    takes them, or None when they choose otherwise (any filter on the articles
    themselves: tags, sources, search, field filters) or name a type other than
    ``ArticlePage``. Only for values the filters have already accepted."""
    query = request.GET
    if not set(query) <= WINDOW | GROUP_PARAMETERS or "type" not in query:
        return None
    if any(len(query.getlist(name)) > 1 for name in query):
        return None
    try:
        models = page_models_from_string(query["type"])
    except (LookupError, ValueError):
        return None
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    if list(models) != [ArticlePage]:
        return None
    chosen = {"locale": query.get("locale")}
    for name in ("child_of", "descendant_of"):
        value = query.get(name)
        if value is not None and not value.isdecimal():
            return None  # "root" (v3) and the like: counted
        chosen[name] = None if value is None else int(value)
    return chosen


def _count_by_groups(request):
    chosen = group_filters(request)
    if chosen is None:
        return None
    return count_listed(requested_site(request), **chosen)
