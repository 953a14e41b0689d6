"""The tasks: turn an event into deliveries, and deliver each, with retries.

Both run in a django-tasks worker (``manage.py db_worker`` with django_tasks_db),
never in the editor's request. Retries are new tasks deferred with
``run_after``, so a waiting retry holds no worker.

An attempt is claimed in the database (``pending`` to ``sending``) with a lease:
``WEBHOOK_TIMEOUT`` (the attempt's whole deadline, ``client.post``) plus
``WEBHOOK_LEASE_MARGIN``, more when it waits behind other attempts to the same
endpoint. The claim enqueues ``check_lease``, due when the lease runs out: if the
delivery is still ``sending`` then, its worker died, and ``recover_lost`` counts
the attempt as lost and enqueues the next one at once. Delivery is at least once:
a worker that dies after the receiver took the request but before the answer
was recorded makes the receiver see the event again (same ``X-Prism-Event-Id``).

The claimed attempt runs in the worker's thread pool (``pool``): attempts to
different endpoints at once, to one endpoint one after the other.

Outcomes of one attempt:

- 2xx: succeeded;
- network error, timeout, 408, 429 or 5xx: retried after ``retry_delay(n)`` (at
  least ``Retry-After`` seconds when the receiver sends one, up to the maximum
  delay) until ``WEBHOOK_MAX_ATTEMPTS`` attempts are spent, then failed;
- any other 4xx, a 3xx (redirects are not followed), an unsafe target or an
  inactive endpoint: failed at once.
"""

import contextlib
import datetime
import functools
import logging
import random

from django.apps import apps
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task, task_backends
from django_tasks.exceptions import InvalidTaskError
from wagtail.models import Page

from .. import __version__
from ..conf import get_settings
from . import client, payloads, signing
from .event_types import PUBLICATIONS
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .pool import LANE_LENGTH, get_pool
from .safety import UnsafeTarget, check_url

logger = logging.getLogger(__name__)

#: 4xx answers that mean "later", not "never".
RETRY_STATUSES = {408, 429}
USER_AGENT = f"prism-news-webhooks/{__version__}"

_random = random.SystemRandom()

#: What the attempt log says of an attempt whose worker stopped before recording it.
LOST = "lost: not recorded before its lease ran out (the worker stopped?)"


class WorkerLost(Exception):
    """Recorded on a task a dead worker left "RUNNING" (django_tasks_db keeps no heartbeat)."""


def lease_seconds():
    """How long an attempt may stay "sending" before it is taken as lost."""
    conf = get_settings()
    return conf["WEBHOOK_TIMEOUT"] + conf["WEBHOOK_LEASE_MARGIN"]


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


def enqueue_dispatch(event, unless_deleted=False):
    return _on_queue(dispatch_event).enqueue(event, unless_deleted)


def queue_in_transaction(model):
    """True when the webhook tasks are rows of the database that ``model`` is written to
    (django-tasks-db's backend, routed there): a task enqueued in the transaction of a
    change commits or rolls back with it, and nothing can lose it in between."""
    backend = task_backends[get_settings()["WEBHOOK_TASK_BACKEND"]]
    if not type(backend).__module__.startswith("django_tasks_db."):
        return False  # (as prism_news.search_index tells it, without importing the package)
    rows = apps.get_model("django_tasks_database", "DBTaskResult")
    return router.db_for_write(rows) == router.db_for_write(model)


def enqueue_attempt(delivery, attempt, run_after=None):
    return _on_queue(deliver, run_after=run_after).enqueue(str(delivery.pk), attempt)


@task()
def dispatch_event(event, unless_deleted=False):
    """One event (see ``events.emit``): a delivery for each endpoint that wants it;
    none, with ``unless_deleted``, once the page is gone (its ``page.deleted`` says it)."""
    recover_lost()
    if unless_deleted and not Page.objects.filter(pk=event["page"]["id"]).exists():
        return {"deliveries": 0}
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
    task enqueued twice (or a stale one) sends nothing.

    The claimed attempt goes to this process's thread pool and the task ends; inside a
    transaction (a caller's ``atomic``), where a thread would not see the uncommitted
    rows, it runs here and now."""
    conf = get_settings()
    pending = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1
    )
    endpoint_id = pending.values_list("endpoint_id", flat=True).first()
    if endpoint_id is None:
        return {"sent": False}
    pool = None
    if not transaction.get_connection().in_atomic_block:
        pool = get_pool(conf["WEBHOOK_CONCURRENCY"])
    ahead = pool.load(endpoint_id) if pool is not None else 0
    now = timezone.now()
    if ahead > LANE_LENGTH or (pool is not None and not pool.has_room(endpoint_id)):
        # This endpoint is slow and this process holds enough of its attempts, or every
        # thread is busy with other endpoints: come back when one of them must have
        # ended, rather than hold up the worker's other tasks. No attempt is spent.
        later = now + datetime.timedelta(seconds=conf["WEBHOOK_TIMEOUT"])
        _on_queue(deliver, run_after=later).enqueue(str(delivery_id), attempt)
        return {"sent": False, "deferred_to": later.isoformat()}
    # Each attempt ahead ends by its deadline: the lease covers them, then this one.
    lease = now + datetime.timedelta(seconds=ahead * conf["WEBHOOK_TIMEOUT"] + lease_seconds())
    with transaction.atomic():
        claimed = pending.update(
            status=DeliveryStatus.SENDING,
            attempts=attempt,
            last_attempt_at=now,
            lease_expires_at=lease,
        )
        if claimed:
            _enqueue_lease_check(delivery_id, attempt, lease)
    if not claimed:
        return {"sent": False}
    job = functools.partial(_run, delivery_id, attempt)
    if pool is None:
        return job()
    pool.run(endpoint_id, job)
    return {"sent": "handed to a thread", "waiting_behind": ahead}


def _enqueue_lease_check(delivery_id, attempt, lease):
    # A backend that cannot defer: `manage.py recover_webhook_deliveries` (cron) instead.
    with contextlib.suppress(InvalidTaskError):
        _on_queue(check_lease, run_after=lease).enqueue(str(delivery_id), attempt)


def _run(delivery_id, attempt):
    """Make a claimed attempt (in a pool thread, or inline) and record it."""
    now = timezone.now()
    started = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=DeliveryStatus.SENDING,
        attempts=attempt,
        lease_expires_at__gt=now,
    ).update(
        # From now on the lease covers this attempt alone: however long it waited in its
        # lane, recovery cannot start the next attempt while this one may still be sending.
        last_attempt_at=now,
        lease_expires_at=now + datetime.timedelta(seconds=lease_seconds()),
    )
    if not started:  # waited past its lease: taken as lost and retried meanwhile
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


@task()
def check_lease(delivery_id, attempt):
    """Due when attempt ``attempt``'s lease runs out: if it is still "sending", its
    worker died; make the next attempt (and look for any other lost one)."""
    delivery = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.SENDING, attempts=attempt
    ).first()
    now = timezone.now()
    if delivery is not None and delivery.lease_expires_at and delivery.lease_expires_at > now:
        _enqueue_lease_check(delivery_id, attempt, delivery.lease_expires_at)
        return {"lost": False}
    return {"lost": delivery is not None, "recovered": recover_lost(now)}


def recover_lost(now=None):
    """Every attempt whose lease ran out: counted as lost, then retried at once (or
    failed when it was the last). Also marks the webhook tasks a dead worker left
    "RUNNING" as failed. Returns how many of each: ``{"deliveries": n, "tasks": m}``."""
    now = now or timezone.now()
    expired = WebhookDelivery.objects.filter(status=DeliveryStatus.SENDING).filter(
        models.Q(lease_expires_at__lte=now)
        # Claimed before leases existed.
        | models.Q(
            lease_expires_at=None,
            last_attempt_at__lte=now - datetime.timedelta(seconds=lease_seconds()),
        )
    )
    recovered = sum(_recover(delivery, now) for delivery in expired)
    return {"deliveries": recovered, "tasks": _fail_stranded_tasks(now)}


def _recover(delivery, now):
    conf = get_settings()
    attempt = delivery.attempts
    retry = attempt < conf["WEBHOOK_MAX_ATTEMPTS"]
    entry = {
        "attempt": attempt,
        "at": delivery.last_attempt_at.isoformat() if delivery.last_attempt_at else None,
        "response_code": None,
        "duration_ms": None,
        "error": LOST,
        "next_attempt_at": now.isoformat() if retry else None,
    }
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status=DeliveryStatus.SENDING,
            attempts=attempt,
            lease_expires_at=delivery.lease_expires_at,
        ).update(
            status=DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED,
            lease_expires_at=None,
            next_attempt_at=now if retry else None,
            response_code=None,
            duration_ms=None,
            last_error=LOST,
            attempt_log=[*delivery.attempt_log, entry][-50:],
        )
        if updated and retry:
            enqueue_attempt(delivery, attempt + 1)
    if updated:
        logger.warning(
            "Webhook delivery %s to endpoint %s: attempt %d lost (lease expired); %s",
            delivery.pk,
            delivery.endpoint_id,
            attempt,
            "retrying now" if retry else "no attempts left, failed",
        )
    return updated


def _fail_stranded_tasks(now):
    """django_tasks_db keeps a task a killed worker was running "RUNNING" forever.
    A webhook task running longer than a lease is such a task: mark it failed (with
    ``WorkerLost``), so that operators see it. The delivery itself is taken up again
    by its lease; an event whose dispatch died before any delivery was written is
    dispatched again."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    stranded = DBTaskResult.objects.filter(
        backend_name=get_settings()["WEBHOOK_TASK_BACKEND"],
        status="RUNNING",
        task_path__in=[t.module_path for t in (dispatch_event, deliver, check_lease)],
        started_at__lt=now - datetime.timedelta(seconds=lease_seconds()),
    )
    count = 0
    for result in stranded:
        error = WorkerLost(
            f"The worker {', '.join(result.worker_ids) or '?'} stopped while running this "
            f"task (it was still RUNNING {lease_seconds()} s after it started)."
        )
        with transaction.atomic():
            marked = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: {error}\n",
            )
            if marked and result.task_path == dispatch_event.module_path:
                args, kwargs = result.args_kwargs["args"], result.args_kwargs.get("kwargs", {})
                if not WebhookDelivery.objects.filter(event_id=args[0]["id"]).exists():
                    _on_queue(dispatch_event).enqueue(*args, **kwargs)  # as it was
        if marked:
            count += 1
            logger.warning("Webhook task %s (%s): %s", result.pk, result.task_path, error)
    return count


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
    delivery.lease_expires_at = None
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "attempt": attempt,
            "at": started.isoformat(),
            "ended_at": timezone.now().isoformat(),
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
                saved = _save(delivery, attempt)
                if saved:
                    enqueue_attempt(delivery, attempt + 1, run_after=delivery.next_attempt_at)
        except InvalidTaskError as error:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"{delivery.last_error} (not retried: {error})"
            delivery.next_attempt_at = None
            saved = _save(delivery, attempt)
    else:
        saved = _save(delivery, attempt)
    if not saved:
        logger.warning(
            "Webhook delivery %s, attempt %d ended after its lease ran out; it was "
            "already taken as lost and retried (%s %s not recorded)",
            delivery.pk,
            attempt,
            outcome.status or "",
            outcome.error,
        )
        return
    logger.info(
        "Webhook delivery %s (%s) to endpoint %s, attempt %d: %s %s",
        delivery.pk,
        delivery.event_type,
        delivery.endpoint_id,
        attempt,
        delivery.status,
        outcome.status or outcome.error,
    )


def _save(delivery, attempt):
    """Record the attempt, unless its lease ran out and it was taken up again."""
    fields = [
        "status",
        "response_code",
        "duration_ms",
        "last_error",
        "next_attempt_at",
        "lease_expires_at",
        "attempt_log",
    ]
    return WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=attempt
    ).update(**{field: getattr(delivery, field) for field in fields})
