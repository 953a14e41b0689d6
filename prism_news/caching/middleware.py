"""``ResponseCacheMiddleware``: serve what anonymous readers get from the cache, with
HTTP validators and shared-cache headers. Place it early (right after
``WhiteNoiseMiddleware``), so a hit costs no session, locale or URL routing.

A cache that fails is no cache for that request (``breaker``): a lookup is a miss, the
answer is made and sent, and not kept."""

import logging

from ..conf import get_settings
from . import keys, outbox, pending, purge, store
from .dependencies import collecting

logger = logging.getLogger("prism_news.caching")


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        use_cache = get_settings()["RESPONSE_CACHE"]
        if use_cache:
            pending.refresh_if_due()
            if pending.take_sweep():
                self.sweep()
            entry = store.lookup(request)
            if entry is not None:
                response = store.respond(request, entry)
                response["X-Prism-Cache"] = "hit"
                return response
        # The cache's clock, not this machine's: other servers and the worker invalidate.
        started = store.now() if use_cache else None
        with collecting() as dependencies:
            dependencies.started = started
            response = self.get_response(request)
        if not (dependencies.cacheable and store.storable(response, dependencies.redirects)):
            return response
        if use_cache and not store.unchanged_since(dependencies.tags, started):
            return response  # changed while it was being made: send it, keep nothing
        entry = store.make_entry(response, dependencies, started)
        if use_cache:
            store.save(request, entry)
        if purge.edge_configured():  # the URL the edge may keep (keys.py)
            purge.record(keys.kept_url(request, entry["parameters"]), dependencies.tags)
        answer = store.respond(request, entry)
        answer["X-Prism-Cache"] = "miss"
        return answer

    @staticmethod
    def sweep():
        """Apply invalidations left waiting (their cache part): the cache is back sooner
        than the worker's next try, and this process's hits with them."""
        try:
            outbox.sweep()
        except Exception:  # the database: the reader still gets an answer
            logger.exception("Could not apply the waiting cache invalidations")
