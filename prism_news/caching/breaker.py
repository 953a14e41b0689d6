"""Whether this process uses the response cache just now.

Any error from the cache (Redis down, a timeout, any backend error) makes the request
that met it go without the cache, and this process skips the cache for
``RESPONSE_CACHE_RETRY_AFTER`` seconds (1 by default) before trying it again, so a
cache that is down costs one failed call per process per second, not one per request
(with Redis's 0.5 s socket timeouts, a hung Redis would otherwise slow every reader).
An outage is logged once per process: a WARNING when it starts, an INFO when the cache
answers again.
"""

import logging
import threading
import time

from ..conf import get_settings

logger = logging.getLogger("prism_news.caching")

_lock = threading.Lock()
_state = {"skip_until": 0.0, "down": False}


class CacheUnavailable(Exception):
    """The cache is skipped for a moment after a failure (nothing was tried)."""


def available():
    """Whether to try the cache now (False for a moment after a failure)."""
    return time.monotonic() >= _state["skip_until"]


def failed(error):
    """The cache raised ``error``: go without it for a moment; log if an outage starts."""
    with _lock:
        _state["skip_until"] = time.monotonic() + get_settings()["RESPONSE_CACHE_RETRY_AFTER"]
        starting, _state["down"] = not _state["down"], True
    if starting:
        logger.warning(
            "The response cache failed (%s: %s): answering without it until it answers again",
            type(error).__name__,
            error,
        )


def answered():
    """The cache answered: if it was down, say it is back."""
    if not _state["down"]:
        return
    with _lock:
        back, _state["down"] = _state["down"], False
    if back:
        logger.info("The response cache answers again")


def reset():
    """Forget past failures (tests)."""
    with _lock:
        _state.update(skip_until=0.0, down=False)


class Guarded:
    """A Django cache whose reads and writes never raise: a failure is a miss (``get``
    answers the default, ``get_many`` nothing) or a write not made, and trips the
    breaker. Every rule of ``store`` is safe with that: an answer is valid only when
    the epoch and its tags are *found*, so a failure can only cost a miss."""

    #: What each guarded method answers when the cache fails or is skipped.
    FALLBACKS = {
        "get": lambda key, default=None, version=None: default,
        "get_many": lambda keys, version=None: {},
        "set": lambda *args, **kwargs: False,
        "add": lambda *args, **kwargs: False,
        "set_many": lambda data, *args, **kwargs: list(data),
        "delete": lambda *args, **kwargs: False,
        "delete_many": lambda *args, **kwargs: None,
    }

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        method = getattr(self._backend, name)
        fallback = self.FALLBACKS.get(name)
        if fallback is None:
            return method

        def call(*args, **kwargs):
            if not available():
                return fallback(*args, **kwargs)
            try:
                result = method(*args, **kwargs)
            except Exception as error:  # any backend error: this request goes without
                failed(error)
                return fallback(*args, **kwargs)
            answered()
            return result

        return call


def checked(operation, *args, **kwargs):
    """``operation(*args)`` on the cache for a writer that must know whether it worked
    (an invalidation): raises ``CacheUnavailable`` while skipping, and the cache's own
    error (after tripping the breaker) when it fails."""
    if not available():
        raise CacheUnavailable("the response cache failed less than a moment ago")
    try:
        result = operation(*args, **kwargs)
    except Exception as error:
        failed(error)
        raise
    answered()
    return result
