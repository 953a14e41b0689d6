"""Webhook deliveries through faults, with real parts: a receiver that trickles its
answer, a ``db_worker`` subprocess killed (SIGKILL) in the middle of a delivery, a slow
endpoint beside a fast one, and the retry gaps as a receiver measures them.

The worker subprocesses share the test's database: a copy of it in a SQLite file
(``shared_db``), which this test's ORM then uses too, outside the test's transaction.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prism_news.models import ArticlePage, WebhookDelivery, WebhookEndpoint
from prism_news.webhooks import client
from prism_news.webhooks.events import EVENT_TYPES
from prism_news.webhooks.pool import Pool
from prism_news.webhooks.safety import check_url
from prism_news.webhooks.tasks import LOST, enqueue_attempt, recover_lost

from .webhook_receiver import SECRET, Clock, Receiver, TricklingReceiver, queued, run_worker

ROOT = Path(__file__).resolve().parent.parent


def endpoint_for(url, name="Front end"):
    return WebhookEndpoint.objects.create(
        name=name, url=url, secret=SECRET, event_types=EVENT_TYPES
    )


def new_delivery(endpoint):
    """A delivery of a (made-up) event, with its first attempt queued."""
    event_id = uuid.uuid4()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event_type="page.published",
        payload={"id": str(event_id), "type": "page.published"},
    )
    enqueue_attempt(delivery, 1)
    return delivery


def wait_for(condition, timeout=20, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- A receiver that trickles: the attempt's deadline holds (in process)


@pytest.mark.parametrize(
    ("version", "stage"), [("1.0", "body"), ("1.1", "body"), ("1.0", "headers")]
)
def test_a_trickling_answer_is_cut_off_at_the_deadline_and_retried(db, version, stage, monkeypatch):
    """WEBHOOK_TIMEOUT is 1 s in the tests. The receiver sends 200 and then one byte every
    0.5 s (HTTP/1.0 without a length: http.client drops its socket reference for such an
    answer, and the cut-off used to rely on it)."""
    receiver = TricklingReceiver(version=version, stage=stage)
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    try:
        endpoint = endpoint_for(receiver.url)
        new_delivery(endpoint)
        started = time.monotonic()
        run_worker()
        took = time.monotonic() - started
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending" and delivery.response_code is None
        assert delivery.last_error == "timed out after 1 s"
        assert 900 <= delivery.duration_ms < 2500, delivery.duration_ms
        assert took < 5  # not the 100 s the trickle would take
        # ... and the retry, answered at once, succeeds.
        clock.advance(3600)
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "succeeded" and delivery.attempts == 2
        wait_for(lambda: len(receiver.requests) == 2, what="the trickle to end")
        (_, _, sent, hung_up), _ = sorted(receiver.requests, key=lambda r: r[0])
        assert hung_up and sent < 10  # the client hung up after about 1 s of bytes
    finally:
        receiver.close()


def test_the_client_alone_never_calls_a_trickled_answer_a_success(db):
    receiver = TricklingReceiver(version="1.0", stage="body", pace=0.3)
    try:
        target = check_url(receiver.url)
        response = client.post(target, b"{}", {"Content-Type": "application/json"}, 1)
        assert response.status is None and response.error == "timed out after 1 s"
        assert response.duration_ms < 2000
    finally:
        receiver.close()


# --- Real worker processes


@pytest.fixture
def shared_db(db, tmp_path):
    """The test database copied to a SQLite file that worker subprocesses open too;
    for the rest of the test, this process's ORM uses that file (in autocommit), so the
    worker sees what the test writes and the test sees what the worker records."""
    original = connections["default"]
    if original.vendor != "sqlite":
        pytest.skip("the worker subprocesses share a SQLite file with the test")
    path = tmp_path / "shared.sqlite3"
    original.ensure_connection()
    with sqlite3.connect(path) as copy:
        original.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    settings_dict = {
        **original.settings_dict,
        "NAME": str(path),
        "OPTIONS": {**original.settings_dict.get("OPTIONS", {}), "timeout": 30},
    }
    shared = type(original)(settings_dict, alias="default")
    connections["default"] = shared
    try:
        yield path
    finally:
        shared.close()
        connections["default"] = original


@pytest.fixture
def start_worker(shared_db, tmp_path):
    """``start_worker(**PRISM_NEWS overrides)``: a real ``manage.py db_worker`` on the
    webhook queue of the shared database, polling every 0.1 s."""
    processes = []

    def start(**overrides):
        module = f"worker_settings_{len(processes)}"
        (tmp_path / f"{module}.py").write_text(
            "from tests.settings import *  # noqa\n"
            f"PRISM_NEWS = {{**PRISM_NEWS, **{overrides!r}}}  # noqa\n"
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{shared_db}",
            "DJANGO_SETTINGS_MODULE": module,
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), str(ROOT / "example_site")]),
        }
        log = open(tmp_path / f"{module}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--backend", "webhooks",
             "--queue-name", "webhooks", "--interval", "0.1", "--no-startup-delay",
             "--no-reload", "--verbosity", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        process.log_path = tmp_path / f"{module}.log"
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def worker_log(process):
    return process.log_path.read_text()[-3000:]


@pytest.mark.slow
def test_a_worker_killed_during_a_delivery_is_redelivered_after_its_lease(start_worker, receiver):
    receiver.hang()  # the first request is held until the test lets it go
    endpoint = endpoint_for(receiver.url)
    delivery = new_delivery(endpoint)
    settings = {"WEBHOOK_TIMEOUT": 2, "WEBHOOK_LEASE_MARGIN": 1}
    first = start_worker(**settings)
    wait_for(lambda: receiver.held == 1, what="the first attempt")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    receiver.release()

    # What the dead worker left: the delivery "sending" (its task had handed the attempt
    # to a thread and ended), and the lease check, due when the lease runs out.
    delivery.refresh_from_db()
    assert delivery.status == "sending" and delivery.attempts == 1
    assert delivery.lease_expires_at is not None
    assert [name for name, _args, _at in queued(lease_checks=True)] == ["check_lease"]

    second = start_worker(**settings)
    wait_for(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "succeeded",
        what=f"the redelivery; worker log:\n{worker_log(second)}",
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    first_entry, second_entry = delivery.attempt_log
    assert first_entry["error"] == LOST and second_entry["response_code"] == 200
    # Redelivered, not before the lease ran out; the receiver can deduplicate.
    held, answered = receiver.requests
    assert answered.answered == 200 and answered.signature_valid
    assert held.headers["X-Prism-Event-Id"] == answered.headers["X-Prism-Event-Id"]
    assert answered.at - held.at >= 2 + 1 - 0.2


@pytest.mark.slow
def test_a_slow_endpoint_does_not_hold_up_a_fast_one(start_worker, receiver):
    fast = Receiver()
    try:
        slow = endpoint_for(receiver.url, name="Slow")
        quick = endpoint_for(fast.url, name="Fast")
        receiver.hang(times=10)  # every attempt to it lasts the whole deadline
        # The slow endpoint's deliveries are first in the queue.
        slow_ones = [new_delivery(slow) for _ in range(3)]
        fast_ones = [new_delivery(quick) for _ in range(3)]
        start_worker(WEBHOOK_TIMEOUT=2)
        wait_for(lambda: len(fast.successes()) == 3, what="the fast endpoint's deliveries")
        # All three were answered while the slow endpoint's first attempt was still held.
        assert receiver.held == 1 and len(receiver.requests) == 1
        # The receiver counts an answer before the worker's thread records it.
        wait_for(
            lambda: (
                set(
                    WebhookDelivery.objects.filter(pk__in=[d.pk for d in fast_ones]).values_list(
                        "status", flat=True
                    )
                )
                == {"succeeded"}
            ),
            what="the fast deliveries recorded as succeeded",
        )
        # The slow endpoint gets its attempts one at a time, each cut off at its deadline.
        wait_for(
            lambda: all(
                d.status == "pending" and d.attempts == 1
                for d in WebhookDelivery.objects.filter(pk__in=[d.pk for d in slow_ones])
            ),
            what="the slow endpoint's attempts",
        )
        attempts = sorted(
            (datetime_of(d.attempt_log[0]["at"]), datetime_of(d.attempt_log[0]["ended_at"]))
            for d in WebhookDelivery.objects.filter(endpoint=slow)
        )
        for (_, ended), (started, _) in zip(attempts, attempts[1:], strict=False):
            assert started >= ended  # one after the other
        assert {d.last_error for d in WebhookDelivery.objects.filter(endpoint=slow)} == {
            "timed out after 2 s"
        }
    finally:
        receiver.release()
        fast.close()


@pytest.mark.slow
def test_retry_gaps_are_the_planned_ones_beside_a_slow_endpoint(start_worker, receiver):
    """Base delay 1 s: retries planned 1, 2 and 4 s after the end of the failed attempt
    (± the 20 % jitter) come within ±50 % of that, measured by the receiver from the end
    of its answer to the next request, although another endpoint hangs on every request."""
    hanging = Receiver()
    try:
        hanging.hang(times=20)
        flaky = endpoint_for(receiver.url, name="Flaky")
        stuck = endpoint_for(hanging.url, name="Hangs")
        for _ in range(4):
            new_delivery(stuck)
        receiver.fail(3, status=503)
        delivery = new_delivery(flaky)
        start_worker(WEBHOOK_TIMEOUT=2, WEBHOOK_RETRY_BASE_DELAY=1)
        wait_for(
            lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "succeeded",
            what="the flaky endpoint's delivery",
        )
        delivery.refresh_from_db()
        log = delivery.attempt_log
        planned = [
            (datetime_of(entry["next_attempt_at"]) - datetime_of(entry["ended_at"])).total_seconds()
            for entry in log[:3]
        ]
        requests = receiver.requests
        measured = [
            later.at - earlier.answered_at
            for earlier, later in zip(requests, requests[1:], strict=False)
        ]
        print(f"planned gaps (s): {[round(g, 2) for g in planned]}")
        print(f"measured gaps (s): {[round(g, 2) for g in measured]}")
        assert [r.answered for r in requests] == [503, 503, 503, 200]
        for plan, gap in zip(planned, measured, strict=True):
            assert 0.5 * plan <= gap <= 1.5 * plan, (planned, measured)
        assert hanging.held >= 1  # the other endpoint was hanging meanwhile
    finally:
        hanging.close()


def datetime_of(text):
    return datetime.datetime.fromisoformat(text)


# --- The sweeper, for cron


def test_the_recover_command_takes_up_lost_deliveries_and_says_so(db, receiver, prism_settings):
    prism_settings(WEBHOOK_LEASE_MARGIN=1)
    endpoint = endpoint_for(receiver.url)
    delivery = new_delivery(endpoint)
    past = timezone.now() - datetime.timedelta(seconds=5)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, last_attempt_at=past, lease_expires_at=past
    )
    assert recover_lost() == {"deliveries": 1, "tasks": 0}
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_error == LOST
    assert [(name, args) for name, args, _at in queued()][-1] == ("deliver", [str(delivery.pk), 2])
    run_worker()
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "succeeded"
    # Nothing left to take up.
    out = StringIO()
    call_command("recover_webhook_deliveries", stdout=out)
    assert "0 lost" in out.getvalue()


def test_tasks_a_dead_worker_left_running_are_failed_and_a_lost_dispatch_runs_again(
    db, receiver, prism_settings
):
    """django_tasks_db has no heartbeat: a task whose worker was killed stays RUNNING.
    One older than a lease is marked failed (WorkerLost); a dispatch that died before
    writing its deliveries is enqueued again, one that wrote them is not."""
    prism_settings(WEBHOOK_LEASE_MARGIN=1)
    endpoint_for(receiver.url)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    events = [{"id": str(uuid.uuid4()), "type": "page.published"} for _ in range(2)]
    WebhookDelivery.objects.create(
        endpoint=WebhookEndpoint.objects.get(),
        event_id=events[1]["id"],
        event_type="page.published",
        payload=events[1],
    )
    for event in events:
        DBTaskResult.objects.create(
            status="RUNNING",
            started_at=long_ago,
            args_kwargs={"args": [event], "kwargs": {}},
            task_path="prism_news.webhooks.tasks.dispatch_event",
            queue_name="webhooks",
            backend_name="webhooks",
            run_after=long_ago,
            worker_ids=["killed-worker"],
        )
    assert recover_lost() == {"deliveries": 0, "tasks": 2}
    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.count() == 2
    assert {r.exception_class_path for r in failed} == {"prism_news.webhooks.tasks.WorkerLost"}
    assert all("killed-worker" in r.traceback for r in failed)
    assert queued() == [("dispatch_event", [events[0]], None)]
    assert recover_lost() == {"deliveries": 0, "tasks": 0}  # once only


def test_a_pool_with_every_thread_busy_has_room_only_in_open_lanes():
    """The worker's main thread never waits for a thread: ``deliver`` asks
    ``has_room`` first and defers the task when every thread is busy with other
    endpoints (a lane already open takes more jobs without a thread)."""
    pool = Pool(1)
    started, release = threading.Event(), threading.Event()
    pool.run("slow", lambda: (started.set(), release.wait(10)))
    assert started.wait(5)
    assert pool.has_room("slow") and not pool.has_room("fast")
    release.set()
    assert pool.wait_idle(5)
    assert pool.has_room("fast")


# --- The publishing process dies right after its commit


PUBLISH_AND_DIE = """
import os, signal
import django
django.setup()
from django.db import transaction
from prism_news.models import ArticlePage

page = ArticlePage.objects.get(pk={pk})
with transaction.atomic():
    # Registered first, so it runs first once the transaction commits: the process is
    # killed after the commit and before any other commit callback.
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    page.save_revision().publish()
"""


@pytest.mark.slow
def test_a_publisher_killed_after_its_commit_still_sends_the_event(
    shared_db, category, receiver, start_worker
):
    """The editor's process is SIGKILLed between the commit of a publication and what it
    would do after it: the event was queued in the publication's transaction, and a
    worker delivers it. (The section is made after the database is shared: SQLite
    cannot copy a database with a write in progress.)"""
    from .factories import ArticlePageFactory

    endpoint_for(receiver.url)
    page = ArticlePageFactory(parent=category, live=False, title="Pax Silica")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{shared_db}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
    }
    publisher = subprocess.run(
        [sys.executable, "-c", PUBLISH_AND_DIE.format(pk=page.pk)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert publisher.returncode == -signal.SIGKILL, publisher.stderr[-3000:]
    assert ArticlePage.objects.get(pk=page.pk).live  # committed
    assert [name for name, _args, _at in queued()] == ["dispatch_event"]

    worker = start_worker()
    wait_for(lambda: len(receiver.requests) == 1, what="the delivery", timeout=60)
    [request] = receiver.requests
    assert request.json["type"] == "page.published" and request.json["page"]["id"] == page.pk
    assert worker.poll() is None, worker_log(worker)
