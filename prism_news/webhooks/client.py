"""One HTTP POST to a checked target: the standard library's ``http.client``.

- It connects only to the addresses ``safety.check_url`` approved (the host name
  is still sent as ``Host`` and used for TLS certificate checks), so DNS cannot
  change between the check and the request.
- Redirects are never followed: a 3xx is an answer like any other.
- ``timeout`` bounds connecting, and separately the whole exchange after that
  (a receiver that trickles bytes is cut off when the time is up).
"""

import contextlib
import http.client
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass

#: How much of a response body is kept for the delivery's "last error".
BODY_EXCERPT = 500


@dataclass
class Response:
    status: int | None = None
    duration_ms: int = 0
    error: str = ""
    body: str = ""
    retry_after: str | None = None
    location: str | None = None


def _connect_pinned(addresses, port, timeout):
    """A socket to the first of ``addresses`` that answers on ``port``."""
    error = None
    for ip in addresses:
        try:
            return socket.create_connection((ip, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the approved addresses, in order, whatever DNS says now.

    ``connect()`` is ``http.client``'s documented point to override: it opens
    ``self.sock``, which the request then uses."""

    def __init__(self, host, port=None, *, timeout, addresses):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        sys.audit("http.client.connect", self, self.host, self.port)
        self.sock = _connect_pinned(self.addresses, self.port, self.timeout)
        # As http.client does: the request's headers and body go out at once.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """The same over TLS: the certificate is checked against the host name."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host, port=None, *, timeout, addresses, context):
        super().__init__(host, port, timeout=timeout, addresses=addresses)
        self.ssl_context = context

    def connect(self):
        super().connect()
        self.sock = self.ssl_context.wrap_socket(self.sock, server_hostname=self.host)


def post(target, body, headers, timeout):
    """POST ``body`` to ``target`` (a ``safety.Target``); never raises for network trouble."""
    if target.scheme == "https":
        connection = PinnedHTTPSConnection(
            target.host,
            target.port,
            timeout=timeout,
            addresses=target.addresses,
            context=ssl.create_default_context(),
        )
    else:
        connection = PinnedHTTPConnection(
            target.host, target.port, timeout=timeout, addresses=target.addresses
        )
    response = Response()
    started = time.monotonic()
    watchdog = None
    expired = threading.Event()

    def cut_off():
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    try:
        connection.connect()
        watchdog = threading.Timer(timeout, cut_off)
        watchdog.daemon = True
        watchdog.start()
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        response.status = answer.status
        response.retry_after = answer.getheader("Retry-After")
        response.location = answer.getheader("Location")
        response.body = answer.read(BODY_EXCERPT).decode("utf-8", "replace")
    except TimeoutError:
        response.error = f"timed out after {timeout} s"
    except (OSError, http.client.HTTPException) as error:
        if expired.is_set():
            response.error = f"timed out after {timeout} s"
        else:
            response.error = f"{type(error).__name__}: {error}".strip()
            response.status = None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()
        response.duration_ms = round((time.monotonic() - started) * 1000)
    return response
