"""One HTTP POST to a checked target: the standard library's ``http.client``.

- It connects only to the addresses ``safety.check_url`` approved (the host name
  is still sent as ``Host`` and used for TLS certificate checks), so DNS cannot
  change between the check and the request.
- Redirects are never followed: a 3xx is an answer like any other.
- ``timeout`` is one deadline for the whole attempt: connecting, sending, the status
  line, the headers and the body. A watchdog shuts down the sockets this module opened
  (its own references: ``http.client`` forgets ``connection.sock`` as soon as an
  HTTP/1.0 or ``Connection: close`` answer begins), and an attempt that passes the
  deadline is a timeout even if some answer came in: a receiver that trickles bytes
  never turns a slow exchange into a success.
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


def _connect_pinned(addresses, port, timeout, deadline=None):
    """A socket to the first of ``addresses`` that answers on ``port`` (each address
    gets ``timeout`` seconds, and none of them more than is left before ``deadline``,
    a ``time.monotonic()`` value)."""
    error = None
    for ip in addresses:
        left = timeout if deadline is None else min(timeout, deadline - time.monotonic())
        if left <= 0:
            raise TimeoutError("no time left to connect")
        try:
            return socket.create_connection((ip, port), left)
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
        self.deadline = None  # a time.monotonic() value, set by post()
        #: Every socket opened, kept here: ``http.client`` sets ``self.sock`` to None
        #: while a response that closes the connection is still being read.
        self.opened = []

    def connect(self):
        sys.audit("http.client.connect", self, self.host, self.port)
        self.sock = _connect_pinned(self.addresses, self.port, self.timeout, self.deadline)
        self.opened.append(self.sock)
        # As http.client does: the request's headers and body go out at once.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def cut_off(self):
        """Shut down every socket opened (from another thread): blocked reads end."""
        for sock in self.opened:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """The same over TLS: the certificate is checked against the host name."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host, port=None, *, timeout, addresses, context):
        super().__init__(host, port, timeout=timeout, addresses=addresses)
        self.ssl_context = context

    def connect(self):
        super().connect()
        # Wrapping detaches the plain socket (shutting it down would then do nothing):
        # keep the TLS socket before the handshake, so the deadline cuts a slow one too.
        self.sock = self.ssl_context.wrap_socket(
            self.sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.opened.append(self.sock)
        self.sock.do_handshake()


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
    connection.deadline = started + timeout
    expired = threading.Event()

    def cut_off():
        expired.set()
        connection.cut_off()

    # One watchdog for the whole attempt, connecting included.
    watchdog = threading.Timer(timeout, cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        if expired.is_set():  # the deadline passed while connecting
            connection.cut_off()
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        response.status = answer.status
        response.retry_after = answer.getheader("Retry-After")
        response.location = answer.getheader("Location")
        response.body = answer.read(BODY_EXCERPT).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        if not expired.is_set() and not isinstance(error, TimeoutError):
            response.error = f"{type(error).__name__}: {error}".strip()
        response.status = None
    finally:
        watchdog.cancel()
        connection.close()
        connection.cut_off()  # a response that closes the connection may still hold it
        response.duration_ms = round((time.monotonic() - started) * 1000)
    if expired.is_set() or time.monotonic() - started >= timeout:
        # Whatever arrived (a status, part of a body cut short), the deadline passed.
        response.status = None
        response.error = f"timed out after {timeout} s"
    elif response.status is None and not response.error:
        response.error = f"timed out after {timeout} s"
    return response
