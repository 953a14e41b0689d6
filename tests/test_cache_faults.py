"""The response cache when its parts fail, with real parts: a private ``redis-server``
killed (SIGKILL), restarted empty, or frozen (SIGSTOP) with its entries kept; a PURGE
receiver that is not there, then is. Readers never get a 500 and never the old title
once a change committed; a publish never raises; the outbox applies what waited."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from prism_news.caching import store
from prism_news.caching.outbox import apply_all
from prism_news.models import ArticlePage, PendingInvalidation, WebhookEndpoint
from prism_news.webhooks.events import EVENT_TYPES

from .test_caching import CACHE_ON, build_module_data, states  # noqa: F401  (the data)
from .webhook_receiver import SECRET, queued

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
READERS = ("html_a", "html_home", "html_politics", "api_a", "api_list")

pytestmark = pytest.mark.skipif(
    not os.path.exists(REDIS_SERVER), reason="redis-server is not installed"
)


def outbox():
    """The invalidations waiting, but the search index's: its task (run at once here)
    invalidates the search answers too, and with the cache down that waits as well."""
    searches = [
        row.pk
        for row in PendingInvalidation.objects.all()
        if all(tag == "search" or tag.startswith("search:") for tag in row.tags)
    ]
    return PendingInvalidation.objects.exclude(pk__in=searches)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()


@pytest.fixture
def redis(settings, prism_settings, module_data):
    """The response cache in a private Redis, configured as the example site's own alias
    (no IGNORE_EXCEPTIONS, 0.5 s socket timeouts). Tests call ``settle()`` to wait out
    the breaker after the server came back."""
    from django.core.cache import caches

    server = RedisServer()
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "faulty": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    prism_settings(
        **CACHE_ON,
        RESPONSE_CACHE_ALIAS="faulty",
        RESPONSE_CACHE_RETRY_AFTER=0.2,
        # Read at every request: the tests pin what holds within the interval.
        RESPONSE_CACHE_PENDING_INTERVAL=0,
    )
    server.settle = lambda: time.sleep(0.3)
    yield server
    server.stop()
    caches["faulty"].close()


@pytest.fixture
def site(module_data, redis):
    return module_data


def answers(client, site, names=READERS):
    return {name: client.get(site["urls"][name]) for name in names}


def warm(client, site, names=READERS):
    for _ in range(2):
        found = answers(client, site, names)
    assert {n: r["X-Prism-Cache"] for n, r in found.items()} == dict.fromkeys(names, "hit")


def retitle(page, title):
    """Publish a new title (committing: the on-commit callbacks run)."""
    page = ArticlePage.objects.get(pk=page.pk)
    page.title = title
    page.save_revision().publish()


def check_titles(client, site, present, absent):
    for name, response in answers(client, site).items():
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        assert present in body and absent not in body, name


def test_readers_get_answers_while_redis_is_down_and_one_warning(site, client, redis, caplog):
    warm(client, site)
    redis.kill()
    caplog.set_level(logging.INFO, logger="prism_news.caching")
    for _ in range(3):
        for name, response in answers(client, site).items():
            assert response.status_code == 200, name
            # Made afresh, and not offered to the edge (its URL could not be recorded).
            assert response.get("X-Prism-Cache") is None, name
            assert "s-maxage" not in response.get("Cache-Control", ""), name
        redis.settle()  # the breaker lets the next round try Redis again
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "response cache failed" in warnings[0].getMessage()
    redis.start()  # a new server: empty
    redis.settle()
    warm(client, site)
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == [
        "The response cache answers again"
    ]


def test_a_publish_while_redis_is_down_commits_and_nothing_old_comes_back(
    site, client, redis, django_capture_on_commit_callbacks
):
    warm(client, site)
    redis.kill()
    with django_capture_on_commit_callbacks(execute=True):
        retitle(site["a"], "Alpha, corrected")  # does not raise
    assert ArticlePage.objects.get(pk=site["a"].pk).live_revision.content["title"] == (
        "Alpha, corrected"
    )
    waiting = outbox().get()
    assert waiting.attempts == 1 and waiting.cache_done is False and waiting.last_error
    check_titles(client, site, "Alpha, corrected", ">Alpha<")  # down: made afresh
    redis.start()  # empty: a new epoch
    redis.settle()
    for _ in range(2):
        check_titles(client, site, "Alpha, corrected", ">Alpha<")
    assert not outbox().exists()  # a reader's process applied it


def test_entries_kept_through_an_outage_are_not_served_while_their_invalidation_waits(
    site, client, redis, django_capture_on_commit_callbacks
):
    """Redis freezes (SIGSTOP: its entries survive) while the article is corrected, and
    comes back before anything applied the invalidation: the old entries are there and
    valid on the cache's clock, and must not be served."""
    warm(client, site, READERS + ("html_c",))
    redis.freeze()
    with django_capture_on_commit_callbacks(execute=True):
        retitle(site["a"], "Alpha, corrected")  # times out on Redis; commits
    assert outbox().filter(cache_done=False).count() == 1
    check_titles(client, site, "Alpha, corrected", ">Alpha<")
    redis.thaw()
    redis.settle()
    # Before any reader's process applies it: the kept entries are found and not served.
    factory = RequestFactory()
    for name in READERS:
        request = factory.get(site["urls"][name])
        assert store.cache().get(store.request_key(request)) is not None, name  # kept
        assert store.lookup(request) is None, name  # but not served
    assert store.lookup(factory.get(site["urls"]["html_c"])) is not None  # unrelated: served
    # The next reader's process applies it; nothing old is served, then or later.
    for _ in range(2):
        check_titles(client, site, "Alpha, corrected", ">Alpha<")
    assert not outbox().exists()
    assert states(client, {n: site["urls"][n] for n in READERS}) == dict.fromkeys(READERS, "hit")


def test_the_command_applies_what_waited(site, client, redis, django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    warm(client, site)
    redis.freeze()
    with django_capture_on_commit_callbacks(execute=True):
        retitle(site["a"], "Alpha, corrected")
    waiting = PendingInvalidation.objects.count()  # the publication's, the searches'
    assert outbox().count() == 1
    with pytest.raises(CommandError, match=f"{waiting} cache invalidations could not be applied"):
        call_command("apply_pending_invalidations")  # still frozen: kept, counted
    assert outbox().get().attempts == 2
    redis.thaw()
    redis.settle()
    call_command("apply_pending_invalidations")
    assert not outbox().exists()
    prism = store.backend()
    entry = prism.get(store.request_key(RequestFactory().get(site["urls"]["html_a"])))
    assert entry is not None and not store.is_valid(entry)  # the old entry is stale now


def test_the_other_after_commit_actions_run_when_the_cache_fails(
    site, client, redis, django_capture_on_commit_callbacks
):
    """Redis down at publish: the invalidation waits, the webhook event is still queued."""
    WebhookEndpoint.objects.create(
        name="Front end", url="http://127.0.0.1:9/", secret=SECRET, event_types=EVENT_TYPES
    )
    redis.kill()
    with django_capture_on_commit_callbacks(execute=True):
        retitle(site["a"], "Alpha, corrected")
    assert outbox().exists()
    assert [name for name, *_ in queued()] == ["dispatch_event"]


def test_every_after_commit_action_is_robust(site):
    """Each of prism_news's on-commit callbacks is registered with robust=True: one that
    raises never keeps the others from running."""
    WebhookEndpoint.objects.create(
        name="Front end", url="http://127.0.0.1:9/", secret=SECRET, event_types=EVENT_TYPES
    )
    with transaction.atomic():
        retitle(site["a"], "Alpha, corrected")
        registered = list(connection.run_on_commit)
        assert registered
        ours = [
            (getattr(f, "func", f).__qualname__, robust)
            for _, f, robust in registered
            if getattr(f, "func", f).__module__.startswith("prism_news")
        ]
        names = {name for name, _ in ours}  # the invalidation, renditions
        assert {"apply_after_commit", "enqueue.<locals>.<lambda>"} <= names
        assert all(robust for _, robust in ours), ours
        # The webhook event needs no callback: its task is a row of this transaction.
        assert [name for name, *_ in queued()] == ["dispatch_event"]
        transaction.set_rollback(True)


# --- The edge


class PurgeReceiver:
    """A PURGE-accepting HTTP server on a fixed port, started and stopped at will."""

    def __init__(self):
        self.port = free_port()
        self.purged = []
        self.server = None

    def start(self):
        purged = self.purged

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802
                purged.append(self.headers["Host"] + self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def test_an_edge_unreachable_at_publish_is_purged_when_it_returns(
    site, client, redis, settings, django_capture_on_commit_callbacks
):
    edge = PurgeReceiver()  # not started: the edge is down
    settings.WAGTAILFRONTENDCACHE = {
        "edge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{edge.port}",
        }
    }
    try:
        warm(client, site)  # the edge's URLs are recorded under their tags
        with django_capture_on_commit_callbacks(execute=True):
            retitle(site["a"], "Alpha, corrected")
        waiting = outbox().get()
        assert waiting.cache_done and waiting.attempts == 1  # the cache took it; not the edge
        assert "testserver/politics/alpha/" in {u.split("//", 1)[1] for u in waiting.urls}
        check_titles(client, site, "Alpha, corrected", ">Alpha<")  # the cache serves anew
        edge.start()
        assert apply_all() == (1, 0)
        assert not outbox().exists()
        assert {"testserver/politics/alpha/", "testserver/"} <= set(edge.purged)
        assert f"testserver/api/v2/pages/{site['a'].pk}/" in edge.purged
    finally:
        edge.stop()


def test_the_worker_retries_with_a_growing_delay(
    site, client, redis, settings, django_capture_on_commit_callbacks
):
    """With a task backend that can defer (django_tasks_db), a failed invalidation is
    retried by the worker after RETRY_DELAYS[0] seconds, and again while it fails."""
    from unittest import mock

    from django.utils import timezone
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def retries():
        found = DBTaskResult.objects.filter(
            task_path__endswith="apply_pending_invalidation", status="READY"
        )
        return [(r.args_kwargs["args"], r.run_after) for r in found]

    def run_worker():
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            db_worker.Worker(
                queue_names=["*"], interval=0, batch=True, backend_name="default",
                startup_delay=False, max_tasks=50, worker_id="tests", excluded_queue_names=[],
            ).run()  # fmt: skip

    warm(client, site)
    redis.freeze()
    with django_capture_on_commit_callbacks(execute=True):
        retitle(site["a"], "Alpha, corrected")
    waiting = outbox().get()
    [(args, run_after)] = retries()
    assert args == [waiting.pk] and run_after > waiting.created_at
    time.sleep(2.1)  # the first delay
    run_worker()  # Redis is still frozen: it fails again, and is deferred longer
    [(_, later)] = retries()
    assert outbox().get().attempts == 2 and later > run_after
    redis.thaw()
    redis.settle()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # due now
    run_worker()
    assert not outbox().exists() and retries() == []
    prism = store.backend()
    entry = prism.get(store.request_key(RequestFactory().get(site["urls"]["html_a"])))
    assert entry is not None and not store.is_valid(entry)
