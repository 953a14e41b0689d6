"""The signature every delivery carries.

``X-Prism-Signature: t=<unix seconds>,v1=<hex>``, where the hex digest is
HMAC-SHA256, keyed with the endpoint's secret, of ``<t>.`` followed by the raw
request body. The timestamp is part of what is signed, so a receiver that
rejects old timestamps (five minutes is the advice) rejects replays too.
"""

import hashlib
import hmac
import re
import time

SIGNATURE_HEADER = "X-Prism-Signature"
EVENT_HEADER = "X-Prism-Event"
EVENT_ID_HEADER = "X-Prism-Event-Id"
DELIVERY_HEADER = "X-Prism-Delivery"
#: The receiver's advised tolerance between its clock and ``t``, in seconds.
DEFAULT_TOLERANCE = 300


def signature(secret, timestamp, body):
    message = f"{int(timestamp)}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, body, timestamp=None):
    timestamp = int(time.time() if timestamp is None else timestamp)
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


#: The header exactly as :func:`signature_header` writes it; anything else is not a
#: signature. Digits and hex are ASCII only (``[0-9]`` is, ``\d`` is not), the timestamp
#: at most 12 digits (a huge number is no time at all), and nothing may follow.
_HEADER = re.compile(r"t=([0-9]{1,12}),v1=([0-9a-f]{64})\Z")


def verify(secret, header, body, *, tolerance=DEFAULT_TOLERANCE, now=None):
    """True if ``header`` signs ``body`` with ``secret`` and is recent enough.

    Never raises for what a sender controls: a missing, malformed, repeated or
    non-ASCII header, or one that is not a string at all, is simply ``False``.
    ``secret`` is the endpoint's secret (``str`` or ``bytes``), ``body`` the raw
    request body (``bytes``). For receivers written in Python (docs/webhooks.md has
    a standalone version).
    """
    found = _HEADER.match(header) if isinstance(header, str) else None
    if found is None or not isinstance(body, bytes | bytearray | memoryview):
        return False
    if isinstance(secret, str):
        try:
            secret = secret.encode()
        except UnicodeEncodeError:  # a lone surrogate: no secret anyone was given
            return False
    if not isinstance(secret, bytes | bytearray):
        return False
    timestamp, given = int(found[1]), found[2]
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    message = f"{timestamp}.".encode() + bytes(body)
    return hmac.compare_digest(hmac.new(secret, message, hashlib.sha256).hexdigest(), given)
