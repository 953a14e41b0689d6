"""Test settings: the example site's, with what a fast, isolated test run needs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from newsroom.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="prism-news-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Room for the response cache's tags beside Wagtail's own entries.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Query budgets and most tests measure the work of answering, not the cache; the
# cache's own tests turn it on (tests/test_caching.py).
PRISM_NEWS = {
    **PRISM_NEWS,  # noqa: F405
    "RESPONSE_CACHE": False,
    "API_COUNT_CACHE": False,
    "RESPONSE_CACHE_ALIAS": "default",
}
# One process, one local-memory cache: what prism_news.W009 warns a site about is the
# intended set-up here (tests/test_shared_cache.py calls the check itself).
SILENCED_SYSTEM_CHECKS = ["prism_news.W009"]
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
# Tests log in with the test client's login(), which calls authenticate() without a
# request: django-axes' backend refuses that, so it is off here and on in the tests of
# the login throttle (tests/test_hardening.py). Failed logins are still recorded.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W003"]
# The admin does not ask releases.wagtail.org for Wagtail's latest version: tests never
# reach outside 127.0.0.1.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Embeds resolve locally; tests never reach outside 127.0.0.1.
WAGTAILEMBEDS_FINDERS = [{"class": "tests.embed_finder.LocalEmbedFinder"}]

# The app's default (the example site turns the review policy on); the tests that
# are about the policy turn it on themselves, and the demo loads with it on.
PRISM_NEWS = {**PRISM_NEWS, "REQUIRE_AI_REVIEW": False}  # noqa: F405

# Wagtail's own tasks run at once; webhook deliveries go through the database backend,
# whose worker the webhook tests run in process (tests/webhook_receiver.py), so that
# deferred retries are real.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["webhooks"]},
}
PRISM_NEWS = {
    **PRISM_NEWS,
    "WEBHOOK_TASK_BACKEND": "webhooks",
    "WEBHOOK_TASK_QUEUE": "webhooks",
    "WEBHOOK_TIMEOUT": 1,
    # The receivers are http.server threads on 127.0.0.1.
    "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.1/32"],
}

# Mutation testing (`make mutants`) runs pytest once per mutant: keep the SQLite test
# database in a file and reuse it (--reuse-db) instead of migrating afresh each time.
if os.environ.get("PRISM_TEST_DB_FILE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["PRISM_TEST_DB_FILE"]}  # noqa: F405

# The example site opens SQLite with immediate transactions, for its several writing
# processes (tests/test_sqlite_publishing.py runs those with the site's own settings).
# Here every test runs inside one transaction of this process: "immediate" would make it
# hold the write lock from its first statement, and SQLite's backup API, which
# tests/test_webhook_faults.py uses to share the test database with worker processes,
# then waits for that lock forever.
DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)  # noqa: F405
