"""``/healthz/`` for a load balancer: can this process answer readers?

``health`` answers ``200`` when the database answers a ``SELECT 1``, the cache
prism_news keeps responses in takes a write and gives it back, and the oldest task due
in the task queue (django-tasks' database backend, when installed) has waited less than
``HEALTH_QUEUE_MAX_AGE`` seconds; ``503`` when one of them fails. The JSON body says
which, with numbers only: no content, no error text (which could name hosts or
credentials); the causes go to the log. Never cached.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.apps import apps
from django.core.cache import caches
from django.db import DatabaseError, connections, router
from django.db.models import Min
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .conf import get_settings

logger = logging.getLogger(__name__)

TASKS_APP = "django_tasks_db"
PROBE_KEY = "prism_news:health:{}"


def database():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health: the database did not answer", exc_info=True)
        return {"ok": False}
    return {"ok": True}


def cache():
    """A write and a read on prism_news's cache alias, as a cached answer needs."""
    key, token = PROBE_KEY.format(uuid.uuid4().hex), uuid.uuid4().hex
    started = time.monotonic()
    try:
        store = caches[get_settings()["RESPONSE_CACHE_ALIAS"]]
        store.set(key, token, 30)
        ok = store.get(key) == token
        store.delete(key)
    except Exception:  # any backend's failure (Redis, the database cache) is "down"  # noqa: BLE001
        logger.warning("Health: the response cache did not answer", exc_info=True)
        return {"ok": False}
    if not ok:
        logger.warning("Health: the response cache did not keep a value")
    return {"ok": ok, "seconds": round(time.monotonic() - started, 3)}


def queue():
    """How long the oldest task due has waited to start, and how many tasks have been
    running for longer than the limit (a worker that died holding them)."""
    config = next((c for c in apps.get_app_configs() if c.name == TASKS_APP), None)
    if config is None:
        return {"ok": True}
    limit = get_settings()["HEALTH_QUEUE_MAX_AGE"]
    model = config.get_model("DBTaskResult")
    tasks = model.objects.using(router.db_for_read(model))
    now = timezone.now()
    due = tasks.ready()  # django_tasks_db's own rule (deferred ones once their time came)
    try:
        count = due.count()
        # A task deferred to run_after has waited since then, not since it was queued.
        since = [
            due.filter(run_after__gt=now).aggregate(since=Min("enqueued_at"))["since"],
            due.filter(run_after__lte=now).aggregate(
                since=Min(Greatest("run_after", "enqueued_at"))
            )["since"],
        ]
        stalled = tasks.filter(
            status="RUNNING", started_at__lt=now - timedelta(seconds=limit)
        ).count()
    except DatabaseError:
        logger.warning("Health: the task queue could not be read", exc_info=True)
        return {"ok": False}
    oldest = min((moment for moment in since if moment is not None), default=None)
    age = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    if age > limit:
        logger.warning("Health: the oldest task due has waited %.0f s", age)
    return {
        "ok": age <= limit,
        "due": count,
        "oldest_due_seconds": round(age, 1),
        "running_over_limit": stalled,
    }


@never_cache
@require_safe
def health(request):
    parts = {"database": database(), "cache": cache()}
    parts["queue"] = queue() if parts["database"]["ok"] else {"ok": False}
    # Only a server that cannot answer readers is taken out of rotation: without the
    # cache it answers from the database, and a stuck queue delays no reader. With one
    # shared Redis or one worker, a 503 for those would take every server out at once.
    if not parts["database"]["ok"]:
        status, code = "failing", 503
    elif parts["cache"]["ok"] and parts["queue"]["ok"]:
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, **parts}, status=code)
