"""Test helpers for webhooks: a real HTTP receiver on 127.0.0.1, the database task
worker run in process, and a clock the tests can move forward.

The receiver checks each request's signature itself (with ``hmac``, not with
prism_news's code) and answers as it was told: ``fail(3)`` makes the next three
requests get a 500, ``hang()`` makes the next one wait, unanswered, until the test
releases it (or the receiver closes): ``held`` counts the requests still waiting, so a
test sees that the client gave up on its own, not that the receiver answered late.
"""

import hashlib
import hmac
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from django.utils import timezone

SECRET = "test-secret-0123456789-abcdefghij"


@dataclass
class Received:
    headers: dict
    body: bytes
    path: str
    signature_valid: bool
    answered: int | None  # the status sent back; None when the receiver hung up
    at: float = field(default_factory=time.monotonic)
    answered_at: float | None = None  # when the answer had gone out (time.monotonic())

    @property
    def json(self):
        return json.loads(self.body)


def signature_is_valid(secret, header, body, tolerance=300):
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError, AttributeError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), fields.get("v1", ""))


class Receiver:
    def __init__(self, secret=SECRET):
        self.secret = secret
        self.requests = []
        self._plan = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.held = 0  # requests hanging now
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks?via=prism"

    # --- What to answer next (in order; then 200)

    def fail(self, times=1, status=500, headers=None):
        self._plan.extend([("status", status, headers or {})] * times)

    def hang(self, times=1):
        self._plan.extend([("hang", None, {})] * times)

    def release(self):
        """Let every hanging request end (unanswered)."""
        self._release.set()

    def redirect(self, location, status=302):
        self._plan.append(("status", status, {"Location": location}))

    # --- What came in

    def successes(self):
        return [r for r in self.requests if r.answered is not None and 200 <= r.answered < 300]

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length", 0))
        body = handler.rfile.read(length)
        with self._lock:
            kind, value, headers = self._plan.pop(0) if self._plan else ("status", 200, {})
        signature = handler.headers.get("X-Prism-Signature", "")
        record = Received(
            headers=dict(handler.headers.items()),
            body=body,
            path=handler.path,
            signature_valid=signature_is_valid(self.secret, signature, body),
            answered=None if kind == "hang" else value,
        )
        self.requests.append(record)
        if kind == "hang":
            with self._lock:
                self.held += 1
            self._release.wait(60)  # a bound for a test that forgets to release
            with self._lock:
                self.held -= 1
            return
        handler.send_response(value)
        for name, header in headers.items():
            handler.send_header(name, header)
        answer = b"ok" if 200 <= value < 300 else b"receiver says no"
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)
        handler.wfile.flush()
        record.answered_at = time.monotonic()

    def close(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


class TricklingReceiver:
    """An HTTP receiver that answers 200 one byte every ``pace`` seconds: the status line
    and headers at once, then the body (``stage="body"``), or the headers too
    (``stage="headers"``). ``version="1.0"`` answers HTTP/1.0 with no length (the end of
    the body is the end of the connection), ``"1.1"`` answers HTTP/1.1 with a
    Content-Length. After ``times`` requests it answers at once."""

    def __init__(self, version="1.0", stage="body", pace=0.5, times=1):
        self.version, self.stage, self.pace, self.left = version, stage, pace, times
        self.requests = []  # (arrived, ended, bytes sent, whether the client hung up)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks"

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        arrived = time.monotonic()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(body) < length:
                body += conn.recv(65536)
            payload = b"ok" + b"." * 198
            if self.version == "1.0":
                headers = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
            else:
                headers = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(payload)
                )
            trickle = self.left > 0
            self.left -= 1
            if not trickle:
                conn.sendall(headers + payload)
                self.requests.append((arrived, time.monotonic(), len(payload), False))
                return
            if self.stage == "body":
                conn.sendall(headers)
                slow = payload
            else:
                conn.sendall(headers[:9])  # "HTTP/1.x "
                slow = headers[9:] + payload
            sent, hung_up = 0, False
            for byte in slow:
                time.sleep(self.pace)
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    hung_up = True
                    break
                sent += 1
            self.requests.append((arrived, time.monotonic(), sent, hung_up))

    def close(self):
        self.sock.close()


def run_worker(max_tasks=200, backend_name="webhooks"):
    """Run the database backend's worker in this thread until no task is due.

    The worker closes "old" database connections between tasks; inside a test's
    transaction that would end the test, so that one call is made a no-op here.
    """
    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id="tests",
            excluded_queue_names=[],
        ).run()


def queued(lease_checks=False):
    """Tasks waiting on the webhook backend: [(task name, args, run_after)]; without
    ``lease_checks``, not the ``check_lease`` task every claimed attempt leaves."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.filter(backend_name="webhooks", status="READY")
    if not lease_checks:
        waiting = waiting.exclude(task_path__endswith=".check_lease")
    return [
        (
            result.task_path.rsplit(".", 1)[-1],
            result.args_kwargs["args"],
            None if result.run_after == get_date_max() else result.run_after,
        )
        for result in waiting.order_by("enqueued_at")
    ]


class Clock:
    """``timezone.now()`` for the code under test, moved forward by the test."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def hostile_headers(header):
    """Malformed variants of the genuine ``header`` (``t=<now>,v1=<hex>``), and headers
    that are not strings at all: a receiver must answer each with False."""
    timestamp, digest = header[2:].split(",v1=")
    return [
        f"t={timestamp},v1=é",
        f"t={timestamp},v1={digest[:-1]}é",  # the right length, one non-ASCII letter
        f"t={timestamp},v1=\ud800{digest[1:]}",  # a lone surrogate
        f"t={timestamp},v1={'g' * 64}",  # not hex
        f"t={timestamp},v1={digest.upper()}",
        f"t={timestamp},v1={digest[:-2]}",  # too short
        f"t={timestamp},v1={digest}00",  # too long
        f"t={timestamp}",
        f"v1={digest}",
        f"t={timestamp},t={timestamp},v1={digest}",  # repeated parts
        f"t={timestamp},v1={digest},v1={digest}",
        f"v1={digest},t={timestamp}",
        f"t={timestamp},v1={digest}\n",
        f" t={timestamp},v1={digest}",
        f"t={'9' * 5000},v1={digest}",  # a huge number
        f"t={'١' * 10},v1={digest}",  # digits of another script
        f"t=-{timestamp},v1={digest}",
        f"t=1e9,v1={digest}",
        "t=,v1=",
        "=",
        ",",
        "",
        "\x00",
        None,
        12345,
        ["t=1", "v1=2"],
        {"t": timestamp, "v1": digest},
    ]
