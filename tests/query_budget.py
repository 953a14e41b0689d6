"""Counting the queries of one request, as a reader meets it with cold caches.

A warm-up request comes first: it makes the renditions the page shows, which
publishing makes in production (so the measured request does not write). Then every
per-process cache is emptied (Django's caches, which hold Wagtail's renditions,
the site root paths and prism_news's response cache; the content types), so the
measured request does the real reads: a loader that stopped fetching renditions
in batch shows up as one query per image instead of hiding behind a cache hit.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext


def clear_caches():
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()


def count_queries(client, url):
    client.get(url)  # warm up: renditions are generated on first use
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)
