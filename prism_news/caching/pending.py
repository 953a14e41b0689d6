"""The invalidations still waiting in the outbox, as this process last read them.

An invalidation that could not reach the cache after its change committed (the cache
was down) waits in the database (``outbox``). Until it is applied, the cache may still
hold answers made before the change, and would serve them once it answers again. So
each process reads the tags of the waiting invalidations, at most every
``RESPONSE_CACHE_PENDING_INTERVAL`` seconds (one query, only while the response cache
is in use), and a cached answer with one of those tags counts as a miss; with more
waiting rows than ``MAX_ROWS``, every cached answer does. The interval is the bound of
docs/caching.md: a reader may get an answer older than a committed change at most that
long after the commit, whatever the cache did meanwhile.

When the database cannot be read, the last tags read stay in force and the cache keeps
serving the rest: nothing can commit while the database is down, and the cached answers
are all readers can get then (docs/caching.md says what that leaves open).
"""

import logging
import threading
import time

from django.apps import apps

from ..conf import get_settings

logger = logging.getLogger("prism_news.caching")

#: More waiting invalidations than this: every cached answer counts as a miss.
MAX_ROWS = 200

_lock = threading.Lock()
_state = {"read_at": None, "tags": frozenset(), "all": False, "sweep": False, "db_down": False}


def _read():
    model = apps.get_model("prism_news", "PendingInvalidation")
    waiting = model.objects.filter(cache_done=False).order_by().values_list("tags", flat=True)
    return list(waiting[: MAX_ROWS + 1])


def refresh_if_due():
    """Read the waiting invalidations if the last read is older than the interval."""
    now = time.monotonic()
    read_at = _state["read_at"]
    if read_at is not None and now - read_at < get_settings()["RESPONSE_CACHE_PENDING_INTERVAL"]:
        return
    _state["read_at"] = now
    try:
        rows = _read()
    except Exception as error:  # the database is down: keep what was read last
        if not _state["db_down"]:
            _state["db_down"] = True
            logger.warning(
                "Could not read the waiting cache invalidations (%s: %s): serving the cache "
                "with the ones read before",
                type(error).__name__,
                error,
            )
        return
    if _state["db_down"]:
        _state["db_down"] = False
        logger.info("The waiting cache invalidations can be read again")
    with _lock:
        _state["tags"] = frozenset(tag for tags in rows for tag in tags)
        _state["all"] = len(rows) > MAX_ROWS
        _state["sweep"] = bool(rows)


def blocks(tags):
    """Whether a cached answer with ``tags`` may be older than a waiting invalidation."""
    refresh_if_due()
    return _state["all"] or not _state["tags"].isdisjoint(tags)


def note(tags):
    """This process could not apply an invalidation of ``tags``: block them at once
    (the next read finds its row too)."""
    with _lock:
        _state["tags"] = _state["tags"] | frozenset(tags)


def take_sweep():
    """True once after a read found waiting invalidations (this process may apply them)."""
    with _lock:
        wanted, _state["sweep"] = _state["sweep"], False
    return wanted


def expire():
    """Read again on the next request (after this process applied some)."""
    _state["read_at"] = None


def reset():
    """Forget everything read (tests)."""
    with _lock:
        _state.update(read_at=None, tags=frozenset(), all=False, sweep=False, db_down=False)
