"""What an operator runs the site with: ``/healthz/`` for the load balancer, a request id
on answers and log lines, errors on stderr, database connections that survive the
database dropping them.

Real faults: a ``redis-server`` of the test's own, stopped and started again; the
database file taken away from a running server; PostgreSQL terminating the server's
connection (``pg_terminate_backend``).
"""

import json
import logging
import os
import shutil
import socket
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from prism_news import health as prism_health
from prism_news.request_id import RequestIDFilter, current_request_id

from .site_process import environment, get, manage, serving

HEALTH = "/healthz/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(client):
    response = client.get(HEALTH)
    return response.status_code, json.loads(response.content)


def test_healthy_is_200_with_numbers_only_and_never_cached(db, client):
    response = client.get(HEALTH)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True} and body["cache"]["ok"] is True
    assert body["queue"] == {
        "ok": True,
        "due": 0,
        "oldest_due_seconds": 0.0,
        "running_over_limit": 0,
    }
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "X-Prism-Cache" not in response and "X-Prism-Cache" not in client.get(HEALTH)


def test_only_get_and_head(db, client):
    assert client.post(HEALTH).status_code == 405
    assert client.head(HEALTH).status_code == 200


def task(**fields):
    model = apps.get_model("django_tasks_database", "DBTaskResult")
    row = model.objects.create(
        task_path="prism_news.webhooks.tasks.dispatch_event",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="webhooks",
        backend_name="webhooks",
        priority=0,
        **fields,
    )
    return model.objects.filter(pk=row.pk)


def test_a_queue_no_worker_takes_from_is_reported_degraded(db, client, prism_settings):
    prism_settings(HEALTH_QUEUE_MAX_AGE=60)
    now = timezone.now()
    never = datetime(9999, 1, 1, tzinfo=UTC)  # django_tasks_db: no run_after
    task(status="READY", run_after=never).update(enqueued_at=now - timedelta(seconds=30))
    # Deferred: waits from its run_after (past: 20 s), or not at all (future).
    task(status="READY", run_after=now - timedelta(seconds=20)).update(
        enqueued_at=now - timedelta(hours=1)
    )
    task(status="READY", run_after=now + timedelta(hours=1))
    assert health(client)[0] == 200
    old = task(status="READY", run_after=never)
    old.update(enqueued_at=now - timedelta(seconds=90))
    status, body = health(client)
    # Readers are not delayed by a stuck queue: the server stays in rotation.
    assert status == 200 and body["status"] == "degraded"
    assert body["queue"]["ok"] is False and body["queue"]["due"] == 3
    assert 90 <= body["queue"]["oldest_due_seconds"] < 120
    assert body["database"]["ok"] and body["cache"]["ok"]
    old.update(status="RUNNING", started_at=now - timedelta(seconds=600))
    status, body = health(client)
    assert status == 200 and body["queue"]["running_over_limit"] == 1


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own: ``.stop()``, ``.start()``, ``.url``."""

    class Server:
        port = free_port()
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            for _attempt in range(100):
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                    return
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    "responses_cached",
    [False, True],
    ids=["counts-only", "responses-cached"],
)
def test_a_cache_that_is_down_is_reported_degraded_and_recovers(
    db, settings, prism_settings, redis_server, responses_cached
):
    settings.CACHES = {
        **settings.CACHES,
        "prism": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    prism_settings(RESPONSE_CACHE_ALIAS="prism", RESPONSE_CACHE=responses_cached)
    client = Client(raise_request_exception=False)
    assert health(client)[0] == 200
    redis_server.stop()
    status, body = health(client)
    # The server answers readers from the database: it stays in rotation (with one
    # shared Redis, a 503 would take every server out at once).
    assert status == 200
    assert body == {
        "status": "degraded",
        "database": {"ok": True},
        "cache": {"ok": False},
        "queue": body["queue"],
    }
    assert body["queue"]["ok"] is True
    assert redis_server.url not in json.dumps(body)
    redis_server.start()
    assert health(client)[0] == 200


def test_an_answer_carries_the_request_id_it_was_sent_or_a_new_one(db, client):
    sent = client.get(HEALTH, headers={"X-Request-ID": "lb-7f3a.42"})
    assert sent["X-Request-ID"] == "lb-7f3a.42"
    made = client.get(HEALTH)["X-Request-ID"]
    assert len(made) == 32 and made != client.get(HEALTH)["X-Request-ID"]
    # A value that could forge a log line is replaced.
    forged = client.get(HEALTH, headers={"X-Request-ID": "x\nERROR fake"})["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32
    assert current_request_id() == "-"  # nothing left behind after the request


def test_log_records_get_the_id_of_the_request_they_are_about():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    assert RequestIDFilter().filter(record) and record.request_id == "-"

    class Request:
        request_id = "abc"

    record.request = Request()
    RequestIDFilter().filter(record)
    assert record.request_id == "abc"


@pytest.mark.slow
def test_a_server_error_is_on_stderr_with_its_traceback_and_request_id(site_db, tmp_path):
    """The example site with DEBUG off: a 500 (its database file taken away) is logged."""
    path, env = site_db
    env = {**env, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}
    log = tmp_path / "server.log"
    with log.open("w") as stderr, serving(env, stderr=stderr) as base:
        assert get(base + HEALTH)[0] == 200
        shutil.move(path, tmp_path / "elsewhere.sqlite3")
        status, _headers, body = get(f"{base}/politics/", headers={"X-Request-ID": "req-500"})
        assert status == 500 and "Traceback" not in body
    text = log.read_text()
    assert "ERROR django.request [req-500] Internal Server Error: /politics/" in text, text
    assert "Traceback (most recent call last)" in text
    assert "no such table" in text


PG_URL = "postgres://postgres@127.0.0.1:5432/{}"


@pytest.fixture
def postgres_site():
    """A PostgreSQL database with what ``/healthz/`` reads (the cache's table and the task
    queue), for the example site; dropped afterwards."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://...")
    psycopg = pytest.importorskip("psycopg")
    name = f"prism_health_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(PG_URL.format("postgres"), autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    try:
        env = environment(PG_URL.format(name), CONN_MAX_AGE="600")
        manage(env, "migrate", "django_tasks_database", "--noinput")
        manage(env, "createcachetable")
        yield name, env, admin
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def terminate_backends(admin, name):
    """What a database restart or failover does to the server's kept connection."""
    return admin.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    ).fetchone()[0]


@pytest.mark.slow
@pytest.mark.parametrize("health_checks", [True, False], ids=["checked", "unchecked"])
def test_a_connection_postgresql_dropped_is_replaced_before_the_next_request(
    postgres_site, health_checks, tmp_path
):
    """One server thread that keeps its connection (as a gunicorn sync worker does with
    CONN_MAX_AGE): PostgreSQL terminates it between two requests. With CONN_HEALTH_CHECKS
    (the example site's), the next request gets a new connection and succeeds; without,
    it is a 500, and only the one after recovers. A request in flight when its connection
    is terminated fails either way."""
    name, env, admin = postgres_site
    if not health_checks:
        (tmp_path / "unchecked.py").write_text(
            "from newsroom.settings import *  # noqa: F403\n"
            'DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405\n'
        )
        env = {**env, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "unchecked"}
    with serving(env, threading=False) as base:
        for _round in range(3):
            assert get(base + HEALTH)[0] == 200
            assert terminate_backends(admin, name) == 1  # the server's one connection
            status = get(base + HEALTH)[0]
            if health_checks:
                assert status == 200
            else:
                assert status == 500
                assert get(base + HEALTH)[0] == 200


def test_only_a_database_that_does_not_answer_is_503(db, client, monkeypatch):
    """The rule of the status (the database's own failure is the PostgreSQL test's)."""
    monkeypatch.setattr(prism_health, "database", lambda: {"ok": False})
    status, body = health(client)
    assert status == 503 and body["status"] == "failing"
    assert body["queue"] == {"ok": False}  # not read without a database
