"""Benchmark settings: the test settings on a throwaway SQLite file (or DATABASE_URL)."""

import os
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
DEBUG = False
# Keep one connection for the run (closing it per request would also drop the query log).
DATABASES["default"]["CONN_MAX_AGE"] = None
