"""Which URLs the edge holds under each tag, so an invalidation purges exactly those.

Each cacheable response sent adds its absolute URL to the set of every tag it
depends on; invalidating a tag takes the set and purges its URLs through Wagtail's
``frontend_cache`` (``WAGTAILFRONTENDCACHE``), which does it in a task. With
django-redis the sets are Redis sets (atomic); with any other cache, a Python set
per tag (fine for one process, as local memory is).
"""

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

from .store import cache

URLS_KEY = "prism_news:urls:{}"


def _redis(store):
    if not type(store).__module__.startswith("django_redis"):
        return None
    return store.client.get_client(write=True)


def record(url, tags):
    store = cache()
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


def take(tags):
    """The URLs recorded under ``tags``, forgetting them."""
    store = cache()
    keys = [URLS_KEY.format(tag) for tag in tags]
    client = _redis(store)
    urls = set()
    if client is not None:
        pipe = client.pipeline()
        for key in keys:
            pipe.smembers(store.make_key(key))
        for key in keys:
            pipe.delete(store.make_key(key))
        for members in pipe.execute()[: len(keys)]:
            urls.update(m.decode() if isinstance(m, bytes) else m for m in members)
        return urls
    for found in store.get_many(keys).values():
        urls.update(found)
    store.delete_many(keys)
    return urls


def edge_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge(urls):
    if urls and edge_configured():
        purge_urls_from_cache(sorted(urls))
