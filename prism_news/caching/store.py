"""Cached responses and tag times, in a Django cache (Redis in production, see docs/caching.md).

An entry is valid while none of its tags has been invalidated since the entry's
response started to be made: a change committed while a response was being made
leaves that response stale at once, so no old content is kept after a change.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from ..conf import get_settings
from .dependencies import current

TAG_KEY = "prism_news:tag:{}"
ENTRY_KEY = "prism_news:response:{}"
#: Headers a cached response keeps (the rest is made again on every answer).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def cache():
    return caches[get_settings()["RESPONSE_CACHE_ALIAS"]]


def request_key(request):
    """One key per host, path and query (in any parameter order)."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    raw = f"{request.get_host()}\n{request.path}\n{query}"
    return ENTRY_KEY.format(hashlib.sha256(raw.encode()).hexdigest())


def lookup(request):
    """The valid cached entry for ``request``, or None."""
    store = cache()
    entry = store.get(request_key(request))
    return entry if entry is not None and is_valid(entry) else None


def is_valid(entry):
    if entry["expires"] is not None and entry["expires"] <= time.time():
        return False
    keys = [TAG_KEY.format(tag) for tag in entry["tags"]]
    times = cache().get_many(keys)
    return all(times.get(key) is not None and times[key] < entry["started"] for key in keys)


def cached_value(key, tags, compute):
    """``compute()``, kept under ``key`` until one of ``tags`` is invalidated."""
    store = cache()
    entry = store.get(key)
    if entry is not None and is_valid(entry):
        return entry["value"]
    started = time.time()
    value = compute()
    if tag_times_allow(tags, started):
        entry = {"value": value, "tags": sorted(tags), "started": started, "expires": None}
        store.set(key, entry, get_settings()["RESPONSE_CACHE_TIMEOUT"])
    return value


def tag_times_allow(tags, started):
    """False when one of ``tags`` was invalidated after ``started`` (a stale response)."""
    store = cache()
    keys = [TAG_KEY.format(tag) for tag in tags]
    times = store.get_many(keys)
    # A tag never invalidated (or evicted) counts from now on as invalidated just
    # before the response being made started, which leaves older entries stale.
    outer = current()
    since = min(started, outer.started) if outer is not None and outer.started else started
    for key in keys:
        if key not in times:
            store.add(key, since - 0.001, None)
    times = store.get_many(keys)
    return all(times.get(key, started) < started for key in keys)


def make_entry(response, dependencies, started):
    content = response.content
    expires = dependencies.expires.timestamp() if dependencies.expires else None
    return {
        "status": response.status_code,
        "content": content,
        "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
        "tags": sorted(dependencies.tags),
        "started": started,
        "etag": '"' + hashlib.sha256(content).hexdigest()[:40] + '"',
        "last_modified": int(started),
        "expires": expires,
    }


def save(request, entry):
    conf = get_settings()
    timeout = conf["RESPONSE_CACHE_TIMEOUT"]
    if entry["expires"] is not None:
        timeout = min(timeout, max(1, int(entry["expires"] - time.time())))
    cache().set(request_key(request), entry, timeout)


def cache_control(entry):
    conf = get_settings()
    ages = (conf["CACHE_MAX_AGE"], conf["CACHE_S_MAXAGE"], conf["CACHE_STALE_WHILE_REVALIDATE"])
    if entry["expires"] is not None:  # nobody may keep it past the earliest expiry
        left = max(0, int(entry["expires"] - time.time()))
        ages = tuple(min(age, left) for age in ages)
    max_age, s_maxage, stale = ages
    return f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"


def respond(request, entry):
    """The entry as a response to ``request``: 200, or 304 when the client has it."""
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = cache_control(entry)
    headers = request.META
    if "HTTP_IF_NONE_MATCH" not in headers and "HTTP_IF_MODIFIED_SINCE" not in headers:
        return response
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )


def storable(response):
    """A response the same for everyone: a 200 that read no session and sets no cookie."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",")}
    control = response.get("Cache-Control", "").lower()
    return "cookie" not in vary and "private" not in control and "no-store" not in control
