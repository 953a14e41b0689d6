"""Benchmark settings: the test settings on DATABASE_URL (the benchmark picks PostgreSQL
when it answers) or a throwaway SQLite file, and Redis as the cache when it answers."""

import os
import socket
import tempfile

from tests.settings import *  # noqa: F403

if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(tempfile.mkdtemp(prefix="prism-bench-"), "bench.sqlite3"),
        }
    }
ROOT_URLCONF = "benchmarks.urls"
# The run's images, the same for the benchmark and the gunicorn it starts.
MEDIA_ROOT = os.environ.get("PRISM_BENCH_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
# Served by gunicorn for the throughput cases: listing totals kept, as in production, and
# the response cache on or off as the benchmark asks.
if "PRISM_BENCH_RESPONSE_CACHE" in os.environ:
    PRISM_NEWS = {
        **PRISM_NEWS,  # noqa: F405
        "API_COUNT_CACHE": True,
        "RESPONSE_CACHE": os.environ["PRISM_BENCH_RESPONSE_CACHE"] == "1",
    }
DEBUG = False
# Keep one connection for the run (closing it per request would also drop the query log).
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405


def _redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


if _redis_answers():  # the production cache, in a database of its own
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": "prism-bench",
        }
    }
BENCH_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]  # noqa: F405
