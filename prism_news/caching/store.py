"""Cached responses and the cache's own clock, in a Django cache (Redis in production,
see docs/caching.md).

An entry is valid while none of its tags has been invalidated since the entry's
response started to be made: a change committed while a response was being made
leaves that response stale at once, so no old content is kept after a change.

"Since" is read from one clock that every process shares, kept in the cache itself:
a *generation* counter that each invalidation advances with the cache's atomic
``incr``. A response notes the generation when it starts; an invalidation stores, for
each of its tags, the generation it advanced the counter to. No two machines need
agree on the time. The counter lives in an *epoch* (a random token): when the cache
loses the counter (a restart, an eviction), a new epoch begins, and every entry and
tag of the old one counts as stale, so a counter that started again from zero can never
make an old entry look fresh.

Readers never see the cache fail: ``cache()`` is the cache behind ``breaker.Guarded``,
where an error is a miss or a write not made. Only ``advance`` (an invalidation, which
must know whether it happened) raises, so that the outbox keeps it for a retry. A valid
entry is still not served while an invalidation of one of its tags waits in the outbox
(``pending``).
"""

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from ..conf import get_settings
from . import pending
from .breaker import Guarded, checked
from .dependencies import current, depends_until
from .keys import extra_parameters, parameters_key, request_key

EPOCH_KEY = "prism_news:epoch"
GENERATION_KEY = "prism_news:generation:{}"
TAG_KEY = "prism_news:tag:{}:{}"
#: Headers a cached response keeps (the rest is made again on every answer).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Location")
#: Redirects a view may have kept (``mark_cacheable(redirects=True)``).
REDIRECTS = (301, 302)


@dataclass(frozen=True)
class Moment:
    """A point on the cache's clock: an epoch and a generation within it."""

    epoch: str
    generation: int


def backend():
    """The Django cache itself (its errors raise)."""
    return caches[get_settings()["RESPONSE_CACHE_ALIAS"]]


def cache():
    """The cache as readers use it: a failure is "no cache", never an error."""
    return Guarded(backend())


def lookup(request):
    """The valid cached entry for ``request``, or None (keys.py: the key of every
    parameter, and, for other parameters than the path's answers use, theirs).

    One round trip to the cache when this process has served the same key before: the
    epoch and the tags that entry had are read with it (``_hints``), so a hit (and so a
    304) costs one ``get_many``. Otherwise, or when the entry's tags changed, the tags
    are read in a second round trip."""
    store = cache()
    full, record = request_key(request), parameters_key(request)
    hint = _hints.get(full)
    keys = [full, record]
    if hint is not None:
        keys += [EPOCH_KEY, *(TAG_KEY.format(hint.epoch, tag) for tag in hint.tags)]
    found = store.get_many(keys)
    entry = found.get(full)
    if entry is None and found.get(record) is not None:
        narrowed = request_key(request, found[record])
        entry = store.get(narrowed) if narrowed != full else None
    if entry is None:
        return None
    if hint is not None and hint.matches(entry):
        valid = _fresh(entry) and _seen_in(found, entry["tags"], entry["started"])
    else:
        valid = is_valid(entry)
    if not valid:
        return None
    _hints.put(full, entry)
    return entry


@dataclass(frozen=True)
class _Hint:
    epoch: str
    tags: tuple

    def matches(self, entry):
        return self.epoch == entry["started"].epoch and self.tags == tuple(entry["tags"])


class _Hints:
    """The epoch and tags of the entries this process served last, by key (at most
    ``SIZE``; the oldest go first). Only a guess of which keys to read along with an
    entry: the entry found is still checked against its own tags."""

    SIZE = 2048

    def __init__(self):
        self._items = {}

    def get(self, key):
        return self._items.get(key)

    def put(self, key, entry):
        hint = _Hint(entry["started"].epoch, tuple(entry["tags"]))
        if self._items.get(key) == hint:
            return
        self._items.pop(key, None)
        while len(self._items) >= self.SIZE:
            self._items.pop(next(iter(self._items)))
        self._items[key] = hint

    def clear(self):
        self._items.clear()


_hints = _Hints()


def _new_epoch(store):
    """Start the clock again under a new epoch (everything cached before is stale)."""
    epoch = uuid.uuid4().hex
    store.add(GENERATION_KEY.format(epoch), 0, None)
    # set, not add: two processes starting an epoch at once each leave the other's
    # snapshots unmatched, which only costs a cache miss.
    store.set(EPOCH_KEY, epoch, None)
    return Moment(epoch, 0)


def now():
    """The cache's clock as it reads now (a response notes it when it starts)."""
    store = cache()
    epoch = store.get(EPOCH_KEY)
    if epoch is None:
        return _new_epoch(store)
    generation = store.get(GENERATION_KEY.format(epoch))
    if generation is None:  # the counter is gone: it cannot be trusted to go forward
        return _new_epoch(store)
    return Moment(epoch, generation)


def advance(tags):
    """Mark ``tags`` invalidated now: advance the clock and note it against each tag.
    Raises when the cache fails (or is being skipped after a failure)."""
    checked(_advance, backend(), tags)


def _advance(store, tags):
    epoch = store.get(EPOCH_KEY)
    if epoch is None:
        _new_epoch(store)  # every entry of the old epoch is stale already
        return
    counter = GENERATION_KEY.format(epoch)
    try:
        generation = store.incr(counter)
    except ValueError:  # the counter was lost
        _new_epoch(store)
        return
    if not _KEEPS_EXPIRY_ON_INCR.get(type(store).__module__.split(".")[0], False):
        # Django's generic incr (the database, file and memcached-less backends) is a
        # get and a set with the alias's default timeout (300 s): without this, a quiet
        # five minutes would lose the counter and start a new epoch (all entries stale).
        # It need not be atomic: every invalidation runs after its change committed, so
        # two that read the same count both leave every older answer stale.
        store.touch(counter, None)
    not_set = store.set_many({TAG_KEY.format(epoch, tag): generation for tag in tags}, None)
    if not_set:
        raise RuntimeError(f"the cache did not keep {len(not_set)} tags")


#: Backends whose ``incr`` keeps the key's expiry (Redis's INCR does).
_KEEPS_EXPIRY_ON_INCR = {"django_redis": True}


def _seen_before(tags, moment, store):
    """Whether every tag's last invalidation is at or before ``moment`` on the cache's
    clock, in ``moment``'s epoch (which must still be the current one)."""
    keys = [TAG_KEY.format(moment.epoch, tag) for tag in tags]
    found = store.get_many([EPOCH_KEY, *keys])  # one round trip, as before the clock
    return _seen_in(found, tags, moment)


def _seen_in(found, tags, moment):
    """``_seen_before`` from values already read (the epoch and the tags' keys)."""
    if found.get(EPOCH_KEY) != moment.epoch:
        return False
    keys = [TAG_KEY.format(moment.epoch, tag) for tag in tags]
    return all(key in found and found[key] <= moment.generation for key in keys)


def _fresh(entry):
    """Not past its expiry, and no waiting invalidation may concern it."""
    if entry["expires"] is not None and entry["expires"] <= time.time():
        return False
    return not pending.blocks(entry["tags"])


def is_valid(entry):
    return _fresh(entry) and _seen_before(entry["tags"], entry["started"], cache())


def cached_value(key, tags, compute, expiring=False):
    """``compute()``, kept under ``key`` until one of ``tags`` is invalidated.

    With ``expiring``, ``compute()`` returns ``(value, expires)``: the value is kept no
    later than ``expires`` (a datetime, or None), and neither is a response that uses it.
    """
    store = cache()
    entry = store.get(key)
    if entry is not None and is_valid(entry):
        if entry["expires"] is not None:
            depends_until(datetime.fromtimestamp(entry["expires"], tz=UTC))
        return entry["value"]
    started = now()
    value, expires = compute() if expiring else (compute(), None)
    depends_until(expires)
    if unchanged_since(tags, started):
        stamp = expires.timestamp() if expires is not None else None
        entry = {"value": value, "tags": sorted(tags), "started": started, "expires": stamp}
        store.set(key, entry, _timeout(stamp))
    return value


def _timeout(expires):
    """Seconds to keep an entry that may not outlive ``expires`` (a timestamp, or None)."""
    timeout = get_settings()["RESPONSE_CACHE_TIMEOUT"]
    if expires is not None:
        timeout = min(timeout, max(1, int(expires - time.time())))
    return timeout


def unchanged_since(tags, started):
    """False when one of ``tags`` was invalidated after ``started`` (a stale response)."""
    store = cache()
    # A tag never invalidated (or evicted) counts as invalidated just when the response
    # being made started (or the outer one, for a value cached inside a response), which
    # leaves every older entry stale.
    outer = current()
    since = started
    if outer is not None and outer.started is not None and outer.started.epoch == started.epoch:
        since = min(started, outer.started, key=lambda moment: moment.generation)
    for tag in tags:
        store.add(TAG_KEY.format(started.epoch, tag), since.generation, None)
    return _seen_before(tags, started, store)


def make_entry(response, dependencies, started):
    """The entry for ``response``, begun at ``started`` on the cache's clock."""
    content = response.content
    expires = dependencies.expires.timestamp() if dependencies.expires else None
    return {
        "status": response.status_code,
        "content": content,
        "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
        "tags": sorted(dependencies.tags),
        "started": started,
        "etag": '"' + hashlib.sha256(content).hexdigest()[:40] + '"',
        # Last-Modified is for HTTP clients: the view's own (a feed's or a sitemap's
        # newest item, as Django's views give it), else this server's time now.
        "last_modified": parse_http_date_safe(response.get("Last-Modified", ""))
        or int(time.time()),
        "expires": expires,
        "parameters": None if dependencies.parameters is None else sorted(dependencies.parameters),
    }


def save(request, entry):
    conf = get_settings()
    timeout = conf["RESPONSE_CACHE_TIMEOUT"]
    if entry["expires"] is not None:
        timeout = min(timeout, max(1, int(entry["expires"] - time.time())))
    parameters = entry.get("parameters")
    items = {request_key(request, parameters): entry}
    if parameters is not None:
        items[parameters_key(request)] = parameters
    cache().set_many(items, timeout)
    _hints.put(request_key(request), entry)


def cache_control(entry, request=None):
    conf = get_settings()
    ages = (conf["CACHE_MAX_AGE"], conf["CACHE_S_MAXAGE"], conf["CACHE_STALE_WHILE_REVALIDATE"])
    if entry["expires"] is not None:  # nobody may keep it past the earliest expiry
        left = max(0, int(entry["expires"] - time.time()))
        ages = tuple(min(age, left) for age in ages)
    max_age, s_maxage, stale = ages
    if request is not None and extra_parameters(request, entry.get("parameters")):
        # A URL with parameters the answer ignores is never recorded for purging: the
        # edge must not keep it (keys.py).
        return f"public, max-age={max_age}, s-maxage=0"
    return f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"


def respond(request, entry):
    """The entry as a response to ``request``: 200, or 304 when the client has it (a
    redirect is answered as it is, without validators)."""
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if entry["status"] != 200:
        response["Cache-Control"] = cache_control(entry, request)
        return response
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = cache_control(entry, request)
    headers = request.META
    if "HTTP_IF_NONE_MATCH" not in headers and "HTTP_IF_MODIFIED_SINCE" not in headers:
        return response
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )


def storable(response, redirects=False):
    """A response the same for everyone: a 200 (or, with ``redirects``, a 301 or 302)
    that read no session and sets no cookie."""
    if response.status_code != 200 and not (redirects and response.status_code in REDIRECTS):
        return False
    if response.streaming or response.cookies:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    control = response.get("Cache-Control", "").lower()
    return "cookie" not in vary and "private" not in control and "no-store" not in control
