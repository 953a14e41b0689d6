"""A request id on every answer and every log line written while answering.

``RequestIDMiddleware`` takes the id a proxy or load balancer sent in ``X-Request-ID``
(when it looks like one) or makes one, answers with it in the same header and keeps it
for the request; ``RequestIDFilter`` puts it on log records as ``request_id`` (``-``
outside a request), for a format such as ``"%(levelname)s [%(request_id)s] %(message)s"``.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
#: An id taken from a client: short, and nothing that could forge a log line.
ACCEPTED = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
NONE = "-"

_current = ContextVar("prism_news_request_id", default=NONE)


def current_request_id():
    """The id of the request being answered in this thread or task, or ``"-"``."""
    return _current.get()


class RequestIDMiddleware:
    """Place it first in ``MIDDLEWARE``, so that every answer carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request.request_id = sent if ACCEPTED.fullmatch(sent) else uuid.uuid4().hex
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIDFilter(logging.Filter):
    """Adds ``record.request_id``. Django logs an error answer (``django.request``) after
    the middleware has returned, with the request on the record: its id is read there."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _current.get()
        return True
