"""The signature every delivery carries.

``X-Prism-Signature: t=<unix seconds>,v1=<hex>``, where the hex digest is
HMAC-SHA256, keyed with the endpoint's secret, of ``<t>.`` followed by the raw
request body. The timestamp is part of what is signed, so a receiver that
rejects old timestamps (five minutes is the advice) rejects replays too.
"""

import hashlib
import hmac
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


def verify(secret, header, body, *, tolerance=DEFAULT_TOLERANCE, now=None):
    """True if ``header`` signs ``body`` with ``secret`` and is recent enough.

    For receivers written in Python (docs/webhooks.md has a standalone version).
    """
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
        given = fields["v1"]
    except (ValueError, KeyError, AttributeError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)
