"""Durable invalidation: the tags a change invalidates are written in the change's own
transaction (a ``PendingInvalidation`` row), applied after it commits, and retried until
the cache and the edge accept them.

Applying a row: advance the cache's clock for its tags (``store.advance``), move the
edge's URLs recorded under them into the row (so a purge that fails loses none), mark
the row ``cache_done``; then purge those URLs from the edge, and delete the row.

Who applies, and when (docs/caching.md):

- the process that made the change, right after the commit (the cache part; the edge
  part goes to a task, as Wagtail's purges did);
- when that fails, ``apply_pending_invalidation``, a django-tasks task, retried with a
  growing delay (``RETRY_DELAYS``) while the row is there, on a backend that can defer
  tasks (``django_tasks_db`` and its ``db_worker``);
- any web process that finds waiting rows when it reads them (``pending``), for the
  cache part only (a reader never waits on the edge);
- ``manage.py apply_pending_invalidations``, for cron and for sites without a worker.

Applying twice is harmless (one more advance of the clock, one more PURGE).
"""

import datetime
import logging
from functools import partial

from django.apps import apps
from django.db import router, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import pending, purge, store
from .breaker import available

logger = logging.getLogger("prism_news.caching")

#: Seconds before the worker tries a row again, after its 1st, 2nd, … failed attempt.
RETRY_DELAYS = (2, 4, 8, 15, 30, 60, 120, 300)
#: Rows a web process applies at most in one go.
SWEEP_ROWS = 20


def _model():
    return apps.get_model("prism_news", "PendingInvalidation")


def record(tags):
    """Write ``tags`` down in the current transaction; apply them once it commits.

    One change writes one row: a publish invalidates its page, then its byline's rows
    their author pages, and so on, and each adds its tags to the row the transaction
    already holds, applied once. A row whose savepoint rolled back is not joined (its
    callback left the transaction's list with it): the tags get a row of their own."""
    model = _model()
    connection = transaction.get_connection(router.db_for_write(model))
    held = getattr(connection, "_prism_news_outbox", None)
    if connection.in_atomic_block and held is not None:
        pk, callback = held
        if any(entry[1] is callback for entry in connection.run_on_commit):
            waiting = model.objects.filter(pk=pk, cache_done=False)
            written = waiting.values_list("tags", flat=True).first()  # as this savepoint sees it
            if written is not None:
                waiting.update(tags=sorted(set(written).union(tags)))
                return
    row = model.objects.create(tags=sorted(tags))
    callback = partial(apply_after_commit, row.pk)
    transaction.on_commit(callback, using=connection.alias, robust=True)
    connection._prism_news_outbox = (row.pk, callback)


def apply(row, *, edge=True):
    """Apply ``row``: True when done (and deleted); False when only the edge is left and
    ``edge`` is False. Raises when the cache or the edge fails (the row stays)."""
    model = _model()
    if not row.cache_done:
        store.advance(row.tags)
        found = purge.peek(row.tags) if purge.edge_configured() else {}
        urls = sorted(set(row.urls).union(*found.values()))
        if not model.objects.filter(pk=row.pk, cache_done=False).update(urls=urls, cache_done=True):
            return True  # applied meanwhile by another process, which took its URLs
        row.urls, row.cache_done = urls, True
        purge.forget(found)  # they are safe in the row now
    if row.urls and purge.edge_configured():
        if not edge:
            return False
        purge.purge(row.urls)
    model.objects.filter(pk=row.pk).delete()
    return True


def attempt(pk, *, edge=True):
    """Apply row ``pk`` if it is still there; count a failure against it and raise it."""
    row = _model().objects.filter(pk=pk).first()
    if row is None:
        return True
    try:
        return apply(row, edge=edge)
    except Exception as error:
        if not row.cache_done:
            pending.note(row.tags)  # this process serves none of them meanwhile
        _model().objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise


def apply_after_commit(pk):
    """Right after the change committed (in the editor's process). Never raises: a
    failure leaves the row for the retries."""
    try:
        done = attempt(pk, edge=False)
    except Exception as error:
        logger.warning(
            "Cache invalidation %s not applied yet (%s: %s); it will be retried",
            pk,
            type(error).__name__,
            error,
        )
        schedule(pk, failures=1)
        return
    if not done:
        schedule(pk)  # the edge's purge, in the worker


def schedule(pk, failures=0):
    """Enqueue the task for row ``pk``: at once, or after the delay for ``failures``."""
    job = apply_pending_invalidation
    try:
        if failures:
            if not job.get_backend().supports_defer:
                logger.info(
                    "Cache invalidation %s waits for a web process or "
                    "`manage.py apply_pending_invalidations` (the task backend cannot defer)",
                    pk,
                )
                return
            delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
            job = job.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        job.enqueue(pk)
    except Exception:
        logger.exception("Could not enqueue the retry of cache invalidation %s", pk)


@task()
def apply_pending_invalidation(pk):
    """Apply outbox row ``pk``; enqueue the next try while it fails."""
    try:
        attempt(pk)
    except Exception as error:
        failures = _model().objects.filter(pk=pk).values_list("attempts", flat=True).first()
        if failures:
            schedule(pk, failures)
        return {"applied": False, "error": f"{type(error).__name__}: {error}"}
    return {"applied": True}


def sweep():
    """A web process found waiting rows: apply their cache part, if the cache answers."""
    if not available():
        return 0
    applied = 0
    for pk in _model().objects.filter(cache_done=False).values_list("pk", flat=True)[:SWEEP_ROWS]:
        try:
            done = attempt(pk, edge=False)
        except Exception:
            break  # the cache failed again: the breaker and the worker take it from here
        applied += 1
        if not done:
            schedule(pk)
    if applied:
        pending.expire()
    return applied


def apply_all(*, edge=True):
    """Apply every row (the management command): ``(applied, left)``."""
    applied = left = 0
    for pk in _model().objects.values_list("pk", flat=True):
        try:
            done = attempt(pk, edge=edge)
        except Exception as error:
            logger.warning("Cache invalidation %s failed: %s: %s", pk, type(error).__name__, error)
            left += 1
            continue
        applied += done
        left += not done
    if applied:
        pending.expire()
    return applied, left
