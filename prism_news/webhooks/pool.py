"""Attempts in threads, so that one slow endpoint does not hold up the others.

A worker process (``db_worker``) runs one task at a time. The ``deliver`` task only
claims an attempt and hands it to this pool, which runs attempts to *different*
endpoints at once, up to ``WEBHOOK_CONCURRENCY`` threads, and attempts to the *same*
endpoint one after the other, in the order they were handed over (a lane per endpoint).
So an endpoint that takes its whole deadline on every request occupies one thread;
the others go on serving the other endpoints.

- When every thread is busy with other endpoints, the task is deferred instead of
  handed over (``has_room``): the worker's main thread never waits, so its other tasks
  (purges, renditions, lease checks) go on.
- A lane holds at most ``LANE_LENGTH`` waiting attempts; past that, the task asks to
  be deferred instead (``Pool.load`` tells it how many are ahead).
- Nothing here is durable: an attempt is claimed in the database (with a lease)
  before it is handed over, so if the process dies, the lease runs out and the
  attempt is made again (``tasks.recover_lost``).
- At exit (a ``db_worker`` stopping after SIGTERM), the threads finish what they
  hold; each attempt ends by its deadline.
"""

import logging
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connections

#: Attempts that may wait behind an endpoint's attempt in flight, in one process.
LANE_LENGTH = 4

logger = logging.getLogger(__name__)


class Pool:
    def __init__(self, size):
        self.size = size
        self._lock = threading.Lock()
        self._free = threading.Semaphore(size)
        self._lanes = {}  # endpoint id -> deque of waiting jobs, while one is in flight
        self._running = 0  # threads draining a lane
        self._idle = threading.Condition(self._lock)
        self._executor = ThreadPoolExecutor(size, thread_name_prefix="prism-webhook")

    def load(self, key):
        """How many attempts to ``key`` this process holds (in flight and waiting)."""
        with self._lock:
            lane = self._lanes.get(key)
            return 0 if lane is None else 1 + len(lane)

    def has_room(self, key):
        """Whether ``run(key, …)`` would start or queue ``job`` without waiting: its lane
        is open, or a thread is free. (Only the worker's main thread hands jobs over, and
        threads only ever free up, so the answer holds until it does.)"""
        with self._lock:
            return key in self._lanes or self._running < self.size

    def run(self, key, job):
        """Run ``job()`` in a thread, after the jobs already handed over for ``key``."""
        with self._lock:
            lane = self._lanes.get(key)
            if lane is not None:
                lane.append(job)
                return
            self._lanes[key] = deque()
            self._running += 1
        self._free.acquire()  # at once after has_room(); else waits for a free thread
        try:
            self._executor.submit(self._drain, key, job)
        except BaseException:
            with self._lock:
                self._lanes.pop(key, None)
                self._running -= 1
            self._free.release()
            raise

    def _drain(self, key, job):
        try:
            while job is not None:
                try:
                    job()
                except Exception:  # the lane must go on: the next job is not this one's
                    logger.exception("A webhook attempt failed in its thread")
                finally:
                    # A thread keeps its own connections: give them back between jobs,
                    # as the worker does between tasks.
                    close_old_connections()
                with self._lock:
                    lane = self._lanes[key]
                    job = lane.popleft() if lane else None
                    if job is None:
                        del self._lanes[key]
                        self._idle.notify_all()
        finally:
            connections.close_all()
            with self._lock:
                self._running -= 1
            self._free.release()

    def wait_idle(self, timeout=None):
        """Wait until no attempt is in flight or waiting (for tests and tools)."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._lanes, timeout)


_pool = None
_pool_lock = threading.Lock()


def get_pool(size):
    """This process's pool (made on first use; a new one if ``size`` changed)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.size != size:
            _pool = Pool(size)
        return _pool


def wait_idle(timeout=None):
    pool = _pool
    return True if pool is None else pool.wait_idle(timeout)
