"""Every process shares prism_news's cache, or the checks say it does not.

Without Redis the example site keeps prism_news's responses in a database table, so a
change made by another process (``manage.py shell``, the task worker,
``publish_scheduled``) is seen by the web server on the next request. Checked with real
processes: ``runserver`` and management commands on one SQLite file. ``prism_news.W009``
names a cache other processes do not share; ``prism_news.W010`` a django-redis cache that
hides its failures.
"""

import json
import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from prism_news.checks import RESPONSE_CACHE_MIDDLEWARE, check_shared_cache

from .site_process import get, manage, newsroom, serving

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
DATABASE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "prism_news_cache",
}
REDIS = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


@pytest.fixture
def prism_cache(settings, prism_settings):
    """``prism_cache(config, **prism_news)``: prism_news keeps responses and counts (unless
    ``values`` say otherwise) in the alias ``"prism"``, which is ``config``."""

    def apply(config, **values):
        settings.CACHES = {"default": LOCMEM, "prism": config}
        prism_settings(
            **{"RESPONSE_CACHE": True, "API_COUNT_CACHE": True, **values},
            RESPONSE_CACHE_ALIAS="prism",
        )

    return apply


def ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize("config", [LOCMEM, DUMMY], ids=["locmem", "dummy"])
def test_a_cache_of_one_process_is_a_warning_saying_why_and_what_to_do(prism_cache, config):
    prism_cache(config, RESPONSE_CACHE=True, API_COUNT_CACHE=False)
    [message] = check_shared_cache()
    assert message.id == "prism_news.W009"
    assert "'prism'" in message.msg and "task worker" in message.msg
    assert "DatabaseCache" in message.hint and "createcachetable" in message.hint
    assert "RESPONSE_CACHE_ALIAS" in message.hint


def test_counts_alone_need_a_shared_cache_too(prism_cache, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != RESPONSE_CACHE_MIDDLEWARE]
    prism_cache(LOCMEM, RESPONSE_CACHE=True, API_COUNT_CACHE=True)
    assert ids(check_shared_cache()) == ["prism_news.W009"]
    prism_cache(LOCMEM, RESPONSE_CACHE=True, API_COUNT_CACHE=False)
    assert check_shared_cache() == []  # no middleware: no responses kept either


@pytest.mark.parametrize(
    "config, values",
    [
        (DATABASE, {}),
        (REDIS, {}),
        (LOCMEM, {"RESPONSE_CACHE": False, "API_COUNT_CACHE": False}),
    ],
    ids=["database", "redis", "nothing-kept"],
)
def test_a_shared_cache_or_none_at_all_is_fine(prism_cache, config, values):
    prism_cache(config, **values)
    assert check_shared_cache() == []


def test_redis_that_ignores_its_errors_is_a_warning(prism_cache, settings):
    prism_cache({**REDIS, "OPTIONS": {"IGNORE_EXCEPTIONS": True}})
    [message] = check_shared_cache()
    assert message.id == "prism_news.W010" and "IGNORE_EXCEPTIONS" in message.msg
    # django-redis's global setting counts, unless the cache's own option says otherwise.
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    prism_cache(REDIS)
    assert ids(check_shared_cache()) == ["prism_news.W010"]
    prism_cache({**REDIS, "OPTIONS": {"IGNORE_EXCEPTIONS": False}})
    assert check_shared_cache() == []


def test_the_check_runs_with_manage_py_check(prism_cache, settings):
    """Registered (the test settings silence it; silenced, it is not raised)."""
    prism_cache(LOCMEM)
    settings.SILENCED_SYSTEM_CHECKS = []
    with pytest.raises(SystemCheckError, match=r"prism_news\.W009"):
        call_command("check", "--fail-level", "WARNING", tags=["caches"])


def cached(url):
    """Whether ``url`` is answered from the cache by the second or third request (the
    first request a process answers is not kept)."""
    answers = [get(url) for _attempt in range(3)]
    assert all(status == 200 for status, _headers, _body in answers), url
    return any(headers["X-Prism-Cache"] == "hit" for _status, headers, _body in answers)


def title_in(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


PUBLISH_TITLE = """
from prism_news.models import ArticlePage
page = ArticlePage.objects.get(slug="story-0")
page.title = "Changed in another process"
page.save_revision().publish()
"""

SCHEDULE_NEW = """
from datetime import timedelta
from django.utils import timezone
from prism_news.models import ArticlePage, CategoryIndexPage
section = CategoryIndexPage.objects.get(slug="politics")
page = section.add_child(instance=ArticlePage(
    title="Scheduled story", slug="scheduled", summary="Later.", ai_involvement="none",
    body=[("paragraph", "<p>Later.</p>")], live=False,
))
page.go_live_at = timezone.now() + timedelta(seconds=1)
page.save_revision().publish()  # scheduled: a draft until publish_scheduled runs
"""


@pytest.mark.slow
def test_changes_from_other_processes_are_seen_by_the_web_server_at_once(site_db):
    """The example site without REDIS_URL: runserver answers from the database cache; a
    publish in ``manage.py shell`` and one by ``publish_scheduled`` are seen at once."""
    _path, env = site_db
    newsroom(env, articles=3)
    listing = "/api/v2/pages/?type=prism_news.ArticlePage&fields=title"
    with serving(env) as base:
        for path in ("/politics/story-0/", "/politics/", listing):
            assert cached(base + path), path

        manage(env, "shell", "-c", PUBLISH_TITLE)
        status, headers, html = get(f"{base}/politics/story-0/")
        assert status == 200 and "Changed in another process" in title_in(html)
        assert "Changed in another process" in get(f"{base}/politics/")[2]
        body = json.loads(get(base + listing)[2])
        assert "Changed in another process" in [item["title"] for item in body["items"]]

        manage(env, "shell", "-c", SCHEDULE_NEW)
        assert get(f"{base}/politics/scheduled/")[0] == 404
        before = json.loads(get(base + listing)[2])
        assert before["meta"]["total_count"] == len(before["items"]) == 3
        time.sleep(1.5)  # past its go_live_at
        manage(env, "publish_scheduled")
        assert get(f"{base}/politics/scheduled/")[0] == 200
        after = json.loads(get(base + listing)[2])
        assert after["meta"]["total_count"] == len(after["items"]) == 4
        assert "Scheduled story" in get(f"{base}/politics/")[2]


@pytest.mark.slow
def test_the_example_site_passes_its_checks_with_and_without_redis(site_db):
    _path, env = site_db
    manage(env, "check", "--fail-level", "WARNING")
    manage({**env, "REDIS_URL": "redis://127.0.0.1:6379/15"}, "check", "--fail-level", "WARNING")
