"""Webhook delivery: after commit, through the database task worker, signed, retried.

Every test here sends real HTTP requests to a receiver on 127.0.0.1 (an
``http.server`` thread that checks signatures itself) and runs django_tasks_db's
worker in process; retries are tasks deferred with ``run_after``, due when the
test moves the clock forward.
"""

import socket

import pytest
from django.db import transaction
from django.utils import timezone

from prism_news.models import ArticlePage, WebhookDelivery, WebhookEndpoint
from prism_news.representations.card import card
from prism_news.webhooks.events import EVENT_TYPES
from prism_news.webhooks.tasks import retry_delay

from .admin_forms import post_edit
from .factories import ArticlePageFactory
from .webhook_receiver import SECRET, Clock, Receiver, queued, run_worker

CARD_KEYS = {
    "id", "title", "summary", "url", "category", "locale", "language_label",
    "published_at", "reading_time", "ai", "hero_image",
}  # fmt: skip


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def endpoint_for(receiver, **values):
    fields = {
        "name": "Front end",
        "url": receiver.url,
        "secret": SECRET,
        "event_types": EVENT_TYPES,
    }
    fields.update(values)
    return WebhookEndpoint.objects.create(**fields)


@pytest.fixture
def endpoint(db, receiver):
    return endpoint_for(receiver)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a page's latest revision, then commit (the callbacks run)."""

    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return ArticlePage.objects.get(pk=page.pk)

    return run


def draft(category, **values):
    return ArticlePageFactory(parent=category, live=False, title="Pax Silica", **values)


def test_a_publication_rolled_back_leaves_no_event(endpoint, receiver, category):
    page = draft(category)
    with pytest.raises(RuntimeError), transaction.atomic():
        page.save_revision().publish()
        assert [name for name, _args, _at in queued()] == ["dispatch_event"]
        raise RuntimeError("the change fails after the publish")
    assert queued() == []
    run_worker()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_with_a_queue_elsewhere_the_event_waits_for_the_commit(
    endpoint, receiver, category, prism_settings, settings, django_capture_on_commit_callbacks
):
    """A backend that is not rows of the page's database would run the task before the
    change is visible, or keep it after a rollback: it gets the event after the commit."""
    settings.TASKS = {
        **settings.TASKS,
        "elsewhere": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["webhooks"],
        },
    }
    prism_settings(WEBHOOK_TASK_BACKEND="elsewhere")
    from django_tasks import task_backends

    elsewhere = task_backends["elsewhere"]
    page = draft(category)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    assert elsewhere.results == []
    for callback in callbacks:
        callback()
    assert [result.task.name for result in elsewhere.results] == ["dispatch_event"]


def test_publishing_enqueues_in_its_transaction_and_the_worker_delivers_a_signed_card(
    endpoint, receiver, category, django_capture_on_commit_callbacks
):
    page = draft(category)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    # The task is a row of the publication's transaction (the queue is in its database);
    # nothing waits for the commit to enqueue it, and publishing sent nothing.
    assert [name for name, _args, _at in queued()] == ["dispatch_event"]
    assert receiver.requests == []
    for callback in callbacks:
        callback()
    assert [name for name, _args, _at in queued()] == ["dispatch_event"]
    assert receiver.requests == []

    run_worker()

    [request] = receiver.requests
    assert request.signature_valid
    assert request.path == "/hooks?via=prism"
    body = request.json
    assert body["type"] == "page.published"
    assert request.headers["X-Prism-Event"] == "page.published"
    assert request.headers["X-Prism-Event-Id"] == body["id"]
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-Prism-Delivery"] == str(delivery.pk)
    assert body["page"] == {
        "id": page.pk,
        "type": "prism_news.ArticlePage",
        "locale": "ja",
        "slug": page.slug,
        "url": f"http://localhost{page.url}",
        "detail_url": f"http://testserver/api/v2/pages/{page.pk}/",
    }
    article = ArticlePage.objects.get(pk=page.pk)
    assert set(body["card"]) == CARD_KEYS
    assert body["card"] == card(article)
    assert body["card"]["title"] == "Pax Silica"
    assert delivery.status == "succeeded" and delivery.attempts == 1
    assert delivery.response_code == 200 and delivery.duration_ms is not None
    assert queued() == []


def test_retries_back_off_exponentially_and_deliver_exactly_once(
    endpoint, receiver, category, publish, clock
):
    receiver.fail(3, status=503)
    page = publish(draft(category))
    run_worker()
    delays = []
    for _ in range(3):
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        delay = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
        delays.append(delay)
        # The retry is a deferred task, due at the recorded time.
        [(name, args, run_after)] = queued()
        assert name == "deliver" and args == [str(delivery.pk), delivery.attempts + 1]
        assert run_after == delivery.next_attempt_at
        # Not due yet: the worker leaves it alone.
        clock.advance(delay - 1)
        run_worker()
        assert WebhookDelivery.objects.get().attempts == delivery.attempts
        clock.advance(1)
        run_worker()

    # 30 s, 60 s, 120 s nominal, each within ±20 % jitter.
    for attempt, delay in enumerate(delays, start=1):
        nominal = 30 * 2 ** (attempt - 1)
        assert 0.8 * nominal <= delay <= 1.2 * nominal, delays
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.attempts == 4
    assert [entry["response_code"] for entry in delivery.attempt_log] == [503, 503, 503, 200]
    assert [r.answered for r in receiver.requests] == [503, 503, 503, 200]
    assert all(r.signature_valid for r in receiver.requests)
    # One event, the same body every time, and exactly one successful delivery.
    assert {r.json["id"] for r in receiver.requests} == {delivery.payload["id"]}
    assert len({r.body for r in receiver.requests}) == 1
    clock.advance(24 * 3600)
    run_worker()
    assert len(receiver.successes()) == 1 and len(receiver.requests) == 4
    assert queued() == []
    assert page.live
    print(f"observed retry delays (s): {[round(d, 1) for d in delays]}")


def test_retries_stop_after_the_last_attempt(
    endpoint, receiver, category, publish, clock, prism_settings
):
    prism_settings(WEBHOOK_MAX_ATTEMPTS=3)
    receiver.fail(10, status=500)
    publish(draft(category))
    for _ in range(5):
        run_worker()
        clock.advance(3600)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500: receiver says no"
    assert len(receiver.requests) == 3 and queued() == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_client_errors_are_not_retried(endpoint, receiver, category, publish, clock, status):
    receiver.fail(1, status=status)
    publish(draft(category))
    run_worker()
    clock.advance(3600)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.response_code == status
    assert len(receiver.requests) == 1 and queued() == []


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_timeouts_rate_limits_and_server_errors_are_retried(
    endpoint, receiver, category, publish, clock, status
):
    receiver.fail(1, status=status)
    publish(draft(category))
    run_worker()
    assert WebhookDelivery.objects.get().status == "pending"
    clock.advance(3600)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.attempts == 2
    assert [r.answered for r in receiver.requests] == [status, 200]


def test_retry_after_is_honoured(endpoint, receiver, category, publish):
    receiver.fail(1, status=429, headers={"Retry-After": "600"})
    publish(draft(category))
    run_worker()
    delivery = WebhookDelivery.objects.get()
    delay = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
    assert 600 <= delay <= 3600


def test_a_hanging_receiver_times_out_and_is_retried(endpoint, receiver, category, publish, clock):
    receiver.hang()  # until released: only the client's own timeout (1 s here) ends it
    publish(draft(category))
    run_worker()
    # The worker is done while the receiver still holds the request: the client gave up
    # at its configured timeout, and says so.
    assert receiver.held == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_code is None
    assert delivery.last_error == "timed out after 1 s"
    assert delivery.duration_ms >= 900  # it did wait for the timeout
    receiver.release()
    clock.advance(3600)
    run_worker()
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_a_network_error_is_retried(db, category, publish, clock, receiver):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint_for(receiver, url=f"http://127.0.0.1:{port}/hooks")
    publish(draft(category))
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_code is None
    assert "ConnectionRefusedError" in delivery.last_error


def test_redirects_are_not_followed(endpoint, receiver, category, publish, clock):
    elsewhere = Receiver()
    try:
        receiver.redirect(elsewhere.url)
        publish(draft(category))
        run_worker()
        clock.advance(3600)
        run_worker()
        assert elsewhere.requests == []
    finally:
        elsewhere.close()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.response_code == 302
    assert "redirects are not followed" in delivery.last_error


def test_a_failing_endpoint_neither_blocks_publishing_nor_other_endpoints(
    db, receiver, category, admin_client, django_capture_on_commit_callbacks
):
    healthy = Receiver()
    try:
        endpoint_for(receiver, name="Hangs")
        endpoint_for(healthy, name="Healthy")
        receiver.hang(times=5)
        page = draft(category)
        page.save_revision()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_edit(admin_client, page)
        assert response.status_code == 302
        assert ArticlePage.objects.get(pk=page.pk).live
        # The editor's request made no HTTP request: it only queued the event.
        assert receiver.requests == [] and healthy.requests == []
        assert [name for name, _a, _t in queued()] == ["dispatch_event"]
        run_worker()
        assert len(healthy.successes()) == 1 and len(receiver.requests) == 1
        statuses = dict(WebhookDelivery.objects.values_list("endpoint__name", "status"))
        assert statuses == {"Hangs": "pending", "Healthy": "succeeded"}
    finally:
        healthy.close()


def test_retry_delay_grows_to_its_cap(prism_settings):
    class Fixed:
        def __init__(self, value):
            self.value = value

        def uniform(self, low, high):
            return low if self.value == "low" else high

    nominal = [retry_delay(n, Fixed("low")) / 0.8 for n in range(1, 10)]
    assert [round(d) for d in nominal] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert retry_delay(3, Fixed("high")) == pytest.approx(120 * 1.2)
    prism_settings(WEBHOOK_RETRY_JITTER=0)
    assert retry_delay(2) == 60


def test_the_payload_card_reads_only_what_a_card_shows(category):
    """The worker builds a publication's card like a listing does: the page row with the
    card's related rows, then the category and the hero renditions; no tags, authors or
    sources, which a card does not show."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from prism_news.webhooks.payloads import article_card

    page = draft(category)
    page.save_revision().publish()
    with CaptureQueriesContext(connection) as queries:
        built = article_card(page.pk)
    assert built == card(ArticlePage.objects.get(pk=page.pk))
    read = " ".join(q["sql"] for q in queries).lower()
    for table in ("taggit", "prism_news_articlepagetag", "prism_news_articlesource", "author"):
        assert table not in read, table


def test_a_queue_that_refuses_the_event_leaves_the_publication_standing(
    endpoint, category, prism_settings, caplog
):
    """Enqueued inside the publication's transaction, a refused task (here: a queue name
    the backend does not have) is logged and the publication commits."""
    prism_settings(WEBHOOK_TASK_QUEUE="no-such-queue")
    page = draft(category)
    with transaction.atomic():
        page.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).live
    assert queued() == []
    assert "Could not enqueue webhook event" in caplog.text
