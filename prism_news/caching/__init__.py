"""A response cache for what anonymous readers get, invalidated exactly, and the edge with it.

How it works (the rules are in docs/caching.md):

- While a cacheable response is made (an API v2 listing or detail, a Wagtail
  page), the code that loads content records what the response depends on
  (:func:`depends_on`): ``page:<id>`` for every page it shows, ``image:<id>``,
  ``author:<key>``, ``settings``, ``nav``, and membership tags for lists
  (``members``, ``members:<language>``, ``section:<path>``, ``tag:<locale>:<id>``,
  ``tkey:<translation key>``, ``sitemap:<locale id>`` for the sitemaps of a language,
  ``byline:<author key>`` for author pages),
  and ``search`` for answers made from the search index.
  Pages with an expiry date cap how long it may live.
- ``ResponseCacheMiddleware`` stores the response with those tags and the moment it
  started to make it, on the cache's own clock (a generation counter, see ``store``);
  it is valid while no tag has been invalidated since.
- Signals (publish, unpublish, move, delete, restrictions, authors, settings,
  images) invalidate the tags a change affects: written in the change's transaction
  (``outbox``), applied after it commits and retried until the cache and the edge
  (Wagtail's ``frontend_cache`` backends) took them; the URLs recorded under those
  tags are purged from the edge.
- A cache that fails is no cache (``breaker``), never an error; while an invalidation
  waits, no answer it may concern is served (``pending``).
"""

from .dependencies import (  # noqa: F401
    collecting,
    depends_on,
    depends_on_pages,
    depends_until,
    mark_cacheable,
    page_tag,
    sitemap_tag,
)
from .invalidation import invalidate  # noqa: F401

#: What search answers depend on beside their members: the index, which the task worker
#: updates after a publication (``prism_news.search_index`` invalidates it, and
#: ``search:<language>`` for answers in one language: the reader search page's).
SEARCH_TAG = "search"
