"""The tasks: turn an event into deliveries, and deliver each, with retries.

Both run in a django-tasks worker (``manage.py db_worker`` with django_tasks_db),
never in the editor's request. Retries are new tasks deferred with
``run_after``, so a waiting retry holds no worker.

Outcomes of one attempt:

- 2xx: succeeded;
- network error, timeout, 408, 429 or 5xx: retried after ``retry_delay(n)`` (at
  least ``Retry-After`` seconds when the receiver sends one, up to the maximum
  delay) until ``WEBHOOK_MAX_ATTEMPTS`` attempts are spent, then failed;
- any other 4xx, a 3xx (redirects are not followed), an unsafe target or an
  inactive endpoint: failed at once.
"""

import datetime
import logging
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

from .. import __version__
from ..conf import get_settings
from . import client, payloads, signing
from .event_types import PUBLICATIONS
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .safety import UnsafeTarget, check_url

logger = logging.getLogger(__name__)

#: 4xx answers that mean "later", not "never".
RETRY_STATUSES = {408, 429}
USER_AGENT = f"prism-news-webhooks/{__version__}"

_random = random.SystemRandom()


def retry_delay(attempt, rng=_random):
    """Seconds to wait after failed attempt ``attempt`` (1 is the first try) before the next."""
    conf = get_settings()
    nominal = min(
        conf["WEBHOOK_RETRY_MAX_DELAY"], conf["WEBHOOK_RETRY_BASE_DELAY"] * 2 ** (attempt - 1)
    )
    jitter = conf["WEBHOOK_RETRY_JITTER"]
    return nominal * rng.uniform(1 - jitter, 1 + jitter)


def _on_queue(task_, run_after=None):
    conf = get_settings()
    return task_.using(
        backend=conf["WEBHOOK_TASK_BACKEND"],
        queue_name=conf["WEBHOOK_TASK_QUEUE"],
        run_after=run_after,
    )


def enqueue_dispatch(event):
    return _on_queue(dispatch_event).enqueue(event)


def enqueue_attempt(delivery, attempt, run_after=None):
    return _on_queue(deliver, run_after=run_after).enqueue(str(delivery.pk), attempt)


@task()
def dispatch_event(event):
    """One event (see ``events.emit``): a delivery for each endpoint that wants it."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(active=True).prefetch_related("locales")
        if endpoint.wants(event)
    ]
    if not endpoints:
        return {"deliveries": 0}
    if event["type"] in PUBLICATIONS and not payloads.is_visible(event["page"]["id"]):
        # A restricted page (or one unpublished since): readers cannot see it,
        # so neither may a webhook tell of it.
        return {"deliveries": 0}
    payload = payloads.build_payload(event)
    # The deliveries and their tasks are written together (with the database backend).
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event["id"],
                event_type=event["type"],
                payload=payload,
            )
            for endpoint in endpoints
        )
        for delivery in deliveries:
            enqueue_attempt(delivery, 1)
    return {"deliveries": len(deliveries)}


def redeliver(delivery):
    """A new delivery of the same event and body to the same endpoint (the admin's action)."""
    with transaction.atomic():
        copy = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            payload=delivery.payload,
            redelivery_of=delivery,
        )
        enqueue_attempt(copy, 1)
    return copy


@task()
def deliver(delivery_id, attempt):
    """Attempt ``attempt`` of a delivery. Only one worker can claim an attempt, so a
    task enqueued twice (or a stale one) sends nothing."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1
    ).update(status=DeliveryStatus.SENDING, attempts=attempt, last_attempt_at=now)
    if not claimed:
        return {"sent": False}
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    with override("en"):  # errors are kept for operators, in one language
        try:
            outcome = _attempt(delivery)
        except Exception as error:  # a bug must not leave the delivery "sending"
            logger.exception("Webhook delivery %s failed unexpectedly", delivery.pk)
            outcome = Outcome(error=f"{type(error).__name__}: {error}", retry=True)
    _record(delivery, attempt, now, outcome)
    return {"sent": True, "status": delivery.status, "response_code": outcome.status}


class Outcome:
    def __init__(self, *, status=None, duration_ms=None, error="", retry=False, retry_after=None):
        self.status = status
        self.duration_ms = duration_ms
        self.error = error
        self.retry = retry
        self.retry_after = retry_after

    @property
    def succeeded(self):
        return self.status is not None and 200 <= self.status < 300


def _attempt(delivery):
    endpoint = delivery.endpoint
    if not endpoint.active:
        return Outcome(error="the endpoint is inactive")
    try:
        target = check_url(endpoint.url)
    except UnsafeTarget as error:
        return Outcome(error=str(error))
    except LookupError as error:  # DNS trouble may pass
        return Outcome(error=str(error), retry=True)
    body = payloads.encode(delivery.payload)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event_type,
        signing.EVENT_ID_HEADER: str(delivery.event_id),
        signing.DELIVERY_HEADER: str(delivery.pk),
        signing.SIGNATURE_HEADER: signing.signature_header(endpoint.secret, body),
    }
    response = client.post(target, body, headers, get_settings()["WEBHOOK_TIMEOUT"])
    outcome = Outcome(status=response.status, duration_ms=response.duration_ms)
    if response.status is None:
        outcome.error, outcome.retry = response.error, True
    elif outcome.succeeded:
        pass
    elif 300 <= response.status < 400:
        outcome.error = f"HTTP {response.status}: redirects are not followed ({response.location})"
    else:
        outcome.error = f"HTTP {response.status}: {response.body}".strip()
        outcome.retry = response.status in RETRY_STATUSES or response.status >= 500
        outcome.retry_after = _seconds(response.retry_after)
    return outcome


def _seconds(retry_after):
    if retry_after and retry_after.strip().isdigit():
        return int(retry_after.strip())
    return None


def _record(delivery, attempt, started, outcome):
    conf = get_settings()
    delivery.response_code = outcome.status
    delivery.duration_ms = outcome.duration_ms
    delivery.last_error = outcome.error[:2000]
    delivery.next_attempt_at = None
    if outcome.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
    elif outcome.retry and attempt < conf["WEBHOOK_MAX_ATTEMPTS"]:
        delay = retry_delay(attempt)
        if outcome.retry_after is not None:
            delay = max(delay, min(outcome.retry_after, conf["WEBHOOK_RETRY_MAX_DELAY"]))
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    else:
        delivery.status = DeliveryStatus.FAILED
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "attempt": attempt,
            "at": started.isoformat(),
            "response_code": outcome.status,
            "duration_ms": outcome.duration_ms,
            "error": delivery.last_error,
            "next_attempt_at": (
                delivery.next_attempt_at.isoformat() if delivery.next_attempt_at else None
            ),
        },
    ][-50:]
    if delivery.status == DeliveryStatus.PENDING:
        try:
            with transaction.atomic():
                _save(delivery)
                enqueue_attempt(delivery, attempt + 1, run_after=delivery.next_attempt_at)
        except InvalidTaskError as error:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"{delivery.last_error} (not retried: {error})"
            delivery.next_attempt_at = None
            _save(delivery)
    else:
        _save(delivery)
    logger.info(
        "Webhook delivery %s (%s) to endpoint %s, attempt %d: %s %s",
        delivery.pk,
        delivery.event_type,
        delivery.endpoint_id,
        attempt,
        delivery.status,
        outcome.status or outcome.error,
    )


def _save(delivery):
    delivery.save(
        update_fields=[
            "status",
            "response_code",
            "duration_ms",
            "last_error",
            "next_attempt_at",
            "attempt_log",
        ]
    )
