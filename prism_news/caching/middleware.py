"""``ResponseCacheMiddleware``: serve what anonymous readers get from the cache, with
HTTP validators and shared-cache headers. Place it early (right after
``WhiteNoiseMiddleware``), so a hit costs no session, locale or URL routing."""

from ..conf import get_settings
from . import keys, purge, store
from .dependencies import collecting


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        use_cache = get_settings()["RESPONSE_CACHE"]
        if use_cache:
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
        if not (dependencies.cacheable and store.storable(response)):
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
