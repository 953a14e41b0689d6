"""Which URLs the edge holds under each tag, so an invalidation purges exactly those.

Each cacheable response sent adds its absolute URL to the set of every tag it
depends on; invalidating a tag takes the set (``peek``, kept in the outbox row, then
``forget``) and purges its URLs through the backends of Wagtail's ``frontend_cache``
(``WAGTAILFRONTENDCACHE``). With django-redis the sets are Redis sets (atomic); with
any other cache, a Python set per tag (fine for one process, as local memory is).

Purges are sent here, synchronously, rather than through Wagtail's
``purge_urls_from_cache`` (a task that reports nothing: its ``HTTPBackend`` logs a
failed PURGE and returns), so that the outbox keeps URLs whose purge failed: a purge
failed when a backend's ``purge_batch`` raised or logged an error on the
``wagtail.frontendcache`` logger while it ran (what Wagtail's backends do on failure).
"""

import logging
import threading
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import get_backends

from .breaker import answered, failed
from .store import backend

URLS_KEY = "prism_news:urls:{}"
WAGTAIL_LOGGER = "wagtail.frontendcache"


class EdgePurgeFailed(Exception):
    """A frontend cache backend did not purge (some of) the URLs."""


def _redis(store):
    if not type(store).__module__.startswith("django_redis"):
        return None
    return store.client.get_client(write=True)


def record(url, tags):
    """Note that the edge may keep ``url`` under ``tags`` (a failure is logged, not raised:
    the answer is sent anyway)."""
    try:
        _record(backend(), url, tags)
    except Exception as error:
        failed(error)
    else:
        answered()


def _record(store, url, tags):
    keys = [URLS_KEY.format(tag) for tag in tags]
    client = _redis(store)
    if client is not None:
        pipe = client.pipeline()
        for key in keys:
            pipe.sadd(store.make_key(key), url)
        pipe.execute()
        return
    found = store.get_many(keys)
    changed = {}
    for key in keys:
        urls = found.get(key) or set()
        if url not in urls:
            changed[key] = {*urls, url}
    if changed:
        store.set_many(changed, None)


def peek(tags):
    """``{key: URLs}`` recorded under ``tags`` (raises when the cache fails)."""
    store = backend()
    keys = [URLS_KEY.format(tag) for tag in tags]
    client = _redis(store)
    if client is None:
        return {key: set(urls) for key, urls in store.get_many(keys).items() if urls}
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.smembers(store.make_key(key))
    found = {}
    for key, members in zip(keys, pipe.execute(), strict=True):
        if members:
            found[key] = {m.decode() if isinstance(m, bytes) else m for m in members}
    return found


def forget(found):
    """Remove what ``peek`` found (and only that: a URL recorded since stays)."""
    if not found:
        return
    store = backend()
    client = _redis(store)
    if client is not None:
        pipe = client.pipeline()
        for key, urls in found.items():
            pipe.srem(store.make_key(key), *urls)
        pipe.execute()
        return
    now = store.get_many(list(found))
    left = {key: urls - found[key] for key, urls in now.items()}
    store.set_many({key: urls for key, urls in left.items() if urls}, None)
    store.delete_many([key for key, urls in left.items() if not urls])


def take(tags):
    """The URLs recorded under ``tags``, forgetting them."""
    found = peek(tags)
    forget(found)
    return set().union(*found.values())


def edge_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


class _Errors(logging.Handler):
    """Errors Wagtail's backends log, in this thread, while they purge."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.thread = threading.get_ident()
        self.messages = []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def purge(urls):
    """Purge ``urls`` from every configured backend now; raise ``EdgePurgeFailed`` if one
    of them did not purge all of them."""
    if not urls or not edge_configured():
        return
    backends = get_backends()
    by_host = defaultdict(list)
    for url in sorted(urls):
        by_host[urlsplit(url).netloc].append(url)
    errors = _Errors()
    wagtail_logger = logging.getLogger(WAGTAIL_LOGGER)
    wagtail_logger.addHandler(errors)
    problems = []
    try:
        for host, host_urls in by_host.items():
            for name, edge in backends.items():
                if not edge.invalidates_hostname(host):
                    continue
                try:
                    edge.purge_batch(host_urls)
                except Exception as error:
                    problems.append(f"{name}: {type(error).__name__}: {error}")
    finally:
        wagtail_logger.removeHandler(errors)
    problems += errors.messages
    if problems:
        raise EdgePurgeFailed("; ".join(problems[:3]) + (" …" if len(problems) > 3 else ""))
