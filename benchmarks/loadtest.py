"""Load run: the example site as an operator runs it, with Redis stopped in the middle.

    make loadtest                                     # 16 readers, 60 s, Redis down 10 s
    make loadtest LOADTEST_ARGS="--redis-fault hang"  # Redis hangs (SIGSTOP) instead
    make loadtest LOADTEST_ARGS="--record after"      # also into docs/operations.md

Sets up everything on 127.0.0.1 by itself and removes it afterwards: a fresh PostgreSQL
database (``prism_loadtest``), migrated, with the cache table and the demo content; its own
``redis-server`` on a free port (never the shared one); gunicorn with 3 workers serving the
example site with ``DEBUG=0``; the task worker (``demo_worker``); and an editor, a separate
process with the same settings, that changes one article's title to carry a counter
(``[lt-7] ...``) and publishes it through Wagtail (``revision.publish()``, so every signal and
after-commit action runs) every 2 s, noting the wall time of each commit.

Readers (threads with ``http.client``) request home, the article, its section, the v2 listing
and detail, and two feeds, round-robin, for the duration; Redis is stopped in the middle
(``--redis-fault``: ``restart`` shuts it down and starts it again on the same port with its
data, as a restarted or unreachable Redis comes back; ``kill`` is SIGKILL and an empty
Redis; ``hang`` is SIGSTOP then SIGCONT).

Reported: requests, 5xx (target 0), other errors, answers older than a commit by more than
2 s (target 0), p50/p99 overall, per URL kind and per phase (before, during and after the
outage), RSS of the gunicorn workers and the task worker before and after, machine load and
the CPU time of the server processes. An answer is stale when its request started more
than 2 s after the commit of a newer counter than the one it shows; it is checked in every
answer that shows the article's title (the article page and its v2 detail always do).
Writes benchmarks/results/loadtest-<record>.json and prints a markdown table; with
``--record NAME`` it also replaces the block marked ``loadtest:NAME`` in docs/operations.md.

Bounded: about 40 s of set-up, the duration, and at most a few seconds of tear-down; every
step has a timeout. Only the standard library here: the servers run in the project's
virtualenv (the ``loadtest`` extra adds gunicorn).
"""

import argparse
import bisect
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "example_site"
RESULTS = ROOT / "benchmarks" / "results"
OPERATIONS = ROOT / "docs" / "operations.md"
DATABASE = "prism_loadtest"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SETTINGS = "benchmarks.loadtest_settings"
#: The counter the editor writes at the start of the article's title.
MARKER = re.compile(r"\[lt-(\d+)\]")
#: An answer older than a commit by more than this is stale (seconds).
STALE_BOUND = 2.0
#: The demo article the editor publishes (Japanese, in Politics).
ARTICLE_SLUG = "pax-silica-eurasia"
#: The last line of a traceback: the exception and its message.
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupted|DoesNotExist)\b")
#: Kinds whose answer must show the article's title: a missing counter is an error.
MUST_SHOW = {"article", "v2 detail"}


# --- The pure part: what the run measured, from what it recorded ---------------------


@dataclass
class Answer:
    kind: str
    started: float  # wall clock (time.time()) when the request was sent
    latency: float  # seconds
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    counter: int | None = None  # the oldest counter the answer shows, if any
    error: str = ""
    hit: bool = False  # X-Prism-Cache: hit


def percentile(values, share):
    """Nearest-rank percentile (as benchmarks/api.py takes it); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def parse_counter(text):
    """The oldest counter shown in an answer (a listing may show the title twice), or None."""
    found = [int(n) for n in MARKER.findall(text)]
    return min(found) if found else None


class Staleness:
    """Which answers were out of date, given the commits: ``{counter: commit wall time}``.

    An answer showing counter ``c`` became out of date when the first counter above ``c``
    was committed; it is stale when its request started more than ``bound`` seconds after
    that (so an answer to a request that started before a commit, or just after it, is not).
    """

    def __init__(self, commits, bound=STALE_BOUND):
        self.bound = bound
        self.counters = sorted(commits)
        self.committed = set(self.counters)
        times = [commits[c] for c in self.counters]
        # earliest[i]: the earliest commit of any counter from self.counters[i] on.
        self.earliest = times[:]
        for i in range(len(times) - 2, -1, -1):
            self.earliest[i] = min(times[i], self.earliest[i + 1])

    def out_of_date_for(self, answer):
        """Seconds between the commit that made the answer old and its request (<= 0:
        the answer was current when asked for); None when it shows no counter."""
        if answer.counter is None:
            return None
        i = bisect.bisect_right(self.counters, answer.counter)
        if i == len(self.counters):
            return 0.0
        return answer.started - self.earliest[i]

    def is_stale(self, answer):
        late = self.out_of_date_for(answer)
        return late is not None and late > self.bound

    def uncommitted(self, answer):
        """An answer showing a counter that was never committed (content no reader
        should ever have seen: a rolled-back publish)."""
        return answer.counter is not None and answer.counter not in self.committed


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def _group(answers, staleness):
    latencies = [a.latency for a in answers if a.status is not None]
    late = [staleness.out_of_date_for(a) for a in answers]
    return {
        "requests": len(answers),
        "5xx": sum(1 for a in answers if a.status is not None and a.status >= 500),
        "other_errors": sum(1 for a in answers if is_other_error(a)),
        "stale": sum(1 for a in answers if staleness.is_stale(a)),
        "worst_out_of_date_s": round(max([0.0, *(x for x in late if x is not None)]), 2),
        "uncommitted_shown": sum(1 for a in answers if staleness.uncommitted(a)),
        "cache_hits": sum(1 for a in answers if a.hit),
        "p50_ms": _ms(percentile(latencies, 0.50)),
        "p99_ms": _ms(percentile(latencies, 0.99)),
        "max_ms": _ms(max(latencies) if latencies else None),
    }


def is_other_error(answer):
    """Not a 5xx, but not a right answer either: no answer, a 4xx or 3xx, or an article
    answer without the article's title."""
    if answer.status is None or (answer.status < 500 and answer.status != 200):
        return True
    return answer.status == 200 and answer.kind in MUST_SHOW and answer.counter is None


def timeline(answers, staleness, started, step):
    """The run in slices of ``step`` seconds (by when each request started)."""
    slices = {}
    for answer in answers:
        slices.setdefault(int((answer.started - started) // step), []).append(answer)
    return [
        {"from_s": index * step, **_group(group, staleness)}
        for index, group in sorted(slices.items())
    ]


def summarise(answers, commits, outage, started, bound=STALE_BOUND, step=5.0):
    """Totals, per kind and per phase. ``outage`` is ``(down, up)`` in wall time (``up``
    None if Redis never came back), ``started`` the wall time the readers started."""
    staleness = Staleness(commits, bound)
    kinds = list(dict.fromkeys(a.kind for a in answers))
    down, up = outage
    up = up if up is not None else float("inf")
    phases = {
        "before the outage": [a for a in answers if a.started < down],
        "Redis down": [a for a in answers if down <= a.started < up],
        "after Redis is back": [a for a in answers if a.started >= up],
    }
    failures = sorted(a.started for a in answers if a.status is not None and a.status >= 500)
    return {
        "total": _group(answers, staleness),
        "kinds": {
            kind: _group([a for a in answers if a.kind == kind], staleness) for kind in kinds
        },
        "phases": {name: _group(group, staleness) for name, group in phases.items()},
        "timeline": timeline(answers, staleness, started, step),
        "first_5xx_s": round(failures[0] - started, 2) if failures else None,
        "last_5xx_s": round(failures[-1] - started, 2) if failures else None,
        "last_5xx_after_redis_back_s": (
            round(failures[-1] - up, 2) if failures and failures[-1] >= up else None
        ),
    }


def _cell(value):
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def markdown(result):
    """The run as markdown: the conditions, then tables, ready for docs/operations.md."""
    cfg, summary = result["config"], result["summary"]
    fault = {
        "restart": "shut down and started again with its data",
        "kill": "killed (SIGKILL) and started again empty",
        "hang": "hung (SIGSTOP, then SIGCONT)",
    }[cfg["redis_fault"]]
    load = result["machine"]["load"]
    lines = [
        f"Run on {result['date']} at commit `{result['commit']}`: `{result['command']}`.",
        "",
        f"{cfg['readers']} readers for {cfg['duration']:g} s, an editor publishing every "
        f"{cfg['publish_every']:g} s"
        + (" until the middle of the outage" if cfg.get("quiet_after_outage") else "")
        + f", Redis {fault} for {cfg['redis_down_for']:g} s from "
        f"{cfg['redis_down_at']:g} s. {result['machine']['description']}; load average "
        f"(1 min) {load['before'][0]:.2f} before, {load['after'][0]:.2f} after.",
        "",
        "| requests | count | 5xx | other errors | stale (> 2 s) | worst out of date | "
        "cache hits | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [*summary["kinds"].items(), ("**all**", summary["total"]), *summary["phases"].items()]
    for name, g in rows:
        lines.append(
            f"| {name} | {_cell(g['requests'])} | {_cell(g['5xx'])} | {_cell(g['other_errors'])}"
            f" | {_cell(g['stale'])} | {g['worst_out_of_date_s']:g} s | {_cell(g['cache_hits'])}"
            f" | {_cell(g['p50_ms'])} | {_cell(g['p99_ms'])} |"
        )
    lines += [
        "",
        "| seconds into the run | "
        + " | ".join(f"{t['from_s']:g}–" for t in summary["timeline"])
        + " |",
        "|---|" + "---:|" * len(summary["timeline"]),
    ]
    for label, key in (
        ("requests", "requests"),
        ("5xx", "5xx"),
        ("stale", "stale"),
        ("cache hits", "cache_hits"),
        ("p50 ms", "p50_ms"),
    ):
        lines.append(
            f"| {label} | " + " | ".join(_cell(t[key]) for t in summary["timeline"]) + " |"
        )
    lines += [
        "",
        "| process | RSS before (MiB) | RSS after (MiB) | CPU during the run (s) |",
        "|---|---:|---:|---:|",
    ]
    for name, p in result["processes"].items():
        lines.append(
            f"| {name} | {_cell(p.get('rss_before_mib'))} | "
            f"{_cell(p.get('rss_after_mib'))} | {_cell(p.get('cpu_s'))} |"
        )
    editor = result["editor"]
    lines += [
        "",
        f"- Editor: {editor['publishes']} publishes, {editor['committed']} committed, "
        f"{editor['raised']} raised an error to the editor"
        + (f" ({'; '.join(editor['errors'])})" if editor["errors"] else "")
        + f"; a publish took {_cell(editor['p50_ms'])} ms (p50).",
    ]
    if summary["first_5xx_s"] is not None:
        back = summary["last_5xx_after_redis_back_s"]
        lines.append(
            f"- 5xx from {summary['first_5xx_s']:g} s to {summary['last_5xx_s']:g} s "
            "into the run"
            + (f", the last {back:g} s after Redis was back" if back is not None else "")
            + "."
        )
    final = result["final"]
    lines.append(
        f"- {cfg['settle']:g} s after the run: the article and its v2 detail show "
        f"counters {final['shown']}, the last committed is {final['last_committed']}"
        f" ({'current' if final['current'] else '**stale**'})."
    )
    for name, log in result["logs"].items():
        common = "; ".join(f"{e['count']} × `{e['line']}`" for e in log["exceptions"])
        lines.append(
            f"- {name} log: {log['tracebacks']} tracebacks"
            + (f", most often {common}" if common else "")
            + "."
        )
    if result["workers_restarted"]:
        lines.append("- gunicorn restarted a worker during the run.")
    return "\n".join(lines) + "\n"


def write_record(text, name, path=OPERATIONS):
    """Replace the block between ``<!-- loadtest:name -->`` and ``<!-- /loadtest:name -->``."""
    start, end = f"<!-- loadtest:{name} -->", f"<!-- /loadtest:{name} -->"
    doc = path.read_text()
    if start not in doc or end not in doc:
        raise SystemExit(f"{path} has no {start} ... {end} block to write into")
    head, rest = doc.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{start}\n\n{text}\n{end}{tail}")


# --- Processes -----------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proc(pid, name):
    return Path(f"/proc/{pid}/{name}").read_text()


def rss_mib(pid):
    with contextlib.suppress(OSError):
        for line in _proc(pid, "status").splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def cpu_seconds(pid):
    with contextlib.suppress(OSError):
        fields = _proc(pid, "stat").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def children(pid):
    with contextlib.suppress(OSError):
        return sorted(int(p) for p in _proc(pid, f"task/{pid}/children").split())
    return []


def stop_process(process, timeout=10):
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGCONT)
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def fetch(port, path, kind, timeout=10.0):
    """One GET on a new connection; an Answer, whatever happens."""
    started, clock = time.time(), time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as exc:
        return Answer(kind, started, time.perf_counter() - clock, None, error=type(exc).__name__)
    finally:
        connection.close()
    latency = time.perf_counter() - clock
    counter = parse_counter(body.decode("utf-8", "replace")) if response.status == 200 else None
    hit = response.getheader("X-Prism-Cache") == "hit"
    return Answer(kind, started, latency, response.status, counter, hit=hit)


def redis_command(port, *words, timeout=2.0):
    """One command in Redis's inline protocol; the first line of the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall((" ".join(words) + "\r\n").encode())
        with contextlib.suppress(OSError):
            return s.recv(256).decode(errors="replace").strip()
    return ""


def log_summary(path):
    """Tracebacks in a log and its most frequent exceptions (the line ending a traceback)."""
    text = path.read_text(errors="replace") if path.exists() else ""
    lines = text.splitlines()
    ends = {}
    for before, line in zip(lines, lines[1:], strict=False):
        if before.startswith((" ", "\t")) and EXCEPTION_LINE.match(line):
            ends[line[:160]] = ends.get(line[:160], 0) + 1
    common = sorted(ends.items(), key=lambda item: -item[1])[:3]
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "exceptions": [{"line": line, "count": count} for line, count in common],
    }


class Stack:
    """The database, Redis, gunicorn, the task worker and the editor, all on 127.0.0.1."""

    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="prism-loadtest-"))
        (self.work / "redis").mkdir()
        self.port, self.redis_port = free_port(), free_port()
        self.redis = self.gunicorn = self.worker = self.editor = None
        self.events, self.editor_ready = [], threading.Event()
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"FRONTEND_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
            },
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(SITE)]),
            "DEBUG": "0",
            "SECRET_KEY": "loadtest-" + secrets.token_hex(24),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": f"{POSTGRES}/{args.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_ROOT": str(self.work / "media"),
            "PRISM_LOADTEST_STATIC_ROOT": str(self.work / "static"),
        }

    def say(self, text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    def psql(self, *sql):
        command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
        for statement in sql:
            command += ["-c", statement]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start_redis(self):
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work / "redis"),
                "--dbfilename",
                "dump.rdb",
                "--daemonize",
                "no",
            ],
            stdout=(self.work / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if redis_command(self.redis_port, "PING", timeout=0.5) == "+PONG":
                    return
            time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop_redis(self):
        fault = self.args.redis_fault
        if fault == "hang":
            self.redis.send_signal(signal.SIGSTOP)
            return
        if fault == "restart":  # the data is written and read again on start
            with contextlib.suppress(OSError):
                redis_command(self.redis_port, "SHUTDOWN", "SAVE")
        else:
            self.redis.kill()
        try:
            self.redis.wait(10)
        except subprocess.TimeoutExpired:
            self.redis.kill()
            self.redis.wait(5)

    def resume_redis(self):
        if self.args.redis_fault == "hang":
            self.redis.send_signal(signal.SIGCONT)
        else:
            self.start_redis()

    def setup(self):
        self.say(
            f"database {self.args.database}, Redis on {self.redis_port}, "
            f"site on {self.port}, work in {self.work}"
        )
        self.psql(
            f"DROP DATABASE IF EXISTS {self.args.database} WITH (FORCE)",
            f"CREATE DATABASE {self.args.database}",
        )
        self.start_redis()
        # Static files while the database is built: one process each, side by side.
        started = time.monotonic()
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=SITE,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.work / "collectstatic.log").open("w"),
        )
        done = subprocess.run(
            [sys.executable, __file__, "--prepare"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise SystemExit(f"migrate, createcachetable, load_demo failed:\n{done.stderr}")
        if static.wait(120):
            raise SystemExit(
                "collectstatic failed:\n" + (self.work / "collectstatic.log").read_text()
            )
        self.say(
            f"migrate, createcachetable, load_demo, collectstatic: "
            f"{time.monotonic() - started:.0f} s"
        )
        self.gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--workers",
                str(self.args.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--capture-output",
                "--no-control-socket",
                "--error-logfile",
                str(self.work / "gunicorn.log"),
            ],
            cwd=SITE,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "demo_worker", "--no-reload", "--interval", "1"],
            cwd=SITE,
            env=self.env,
            stdout=(self.work / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        self.editor = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--editor",
                "--article",
                self.args.article,
                "--publish-every",
                str(self.args.publish_every),
            ],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(self.work / "editor.log").open("w"),
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read_editor, daemon=True).start()
        if not self.editor_ready.wait(120):
            raise SystemExit("the editor did not start: see its log\n" + self._editor_log())
        deadline = time.monotonic() + 60
        while fetch(self.port, "/", "probe", timeout=5).status != 200:
            if time.monotonic() > deadline or self.gunicorn.poll() is not None:
                raise SystemExit("gunicorn did not answer 200 on /")
            time.sleep(0.2)

    def _editor_log(self):
        return (self.work / "editor.log").read_text(errors="replace")[-3000:]

    def _read_editor(self):
        for line in self.editor.stdout:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                self.events.append(event)
                if event.get("event") == "commit" and event["counter"] == 0:
                    self.editor_ready.set()

    def targets(self):
        ready = next(e for e in self.events if e["event"] == "ready")
        return [
            ("home", "/"),
            ("article", ready["path"]),
            ("section", ready["section"]),
            ("v2 listing", "/api/v2/pages/?type=prism_news.ArticlePage"),
            ("v2 detail", f"/api/v2/pages/{ready['id']}/"),
            ("feed (site RSS)", "/feeds/rss/"),
            ("feed (section Atom)", ready["section"] + "feeds/atom/"),
        ]

    def warm_up(self, targets):
        """Every answer made once, then asked again (a cache hit where it is cached); the
        kinds side by side, as many at once as there are workers."""
        failed = []

        def twice(kind, path):
            for _ in range(2):
                answer = fetch(self.port, path, kind, timeout=60)
                if answer.status != 200:
                    failed.append(f"{path}: {answer.status} {answer.error}")

        for start in range(0, len(targets), self.args.workers):
            threads = [
                threading.Thread(target=twice, args=target)
                for target in targets[start : start + self.args.workers]
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if failed:
            raise SystemExit("warm-up: " + "; ".join(failed))
        time.sleep(1)

    def snapshot(self):
        """RSS and CPU time of each server process, by a stable name."""
        processes = {}
        for i, pid in enumerate(children(self.gunicorn.pid), 1):
            processes[f"gunicorn worker {i}"] = pid
        processes["gunicorn master"] = self.gunicorn.pid
        processes["db_worker"] = self.worker.pid
        processes["editor"] = self.editor.pid
        processes["redis-server"] = self.redis.pid
        return {
            name: {"pid": pid, "rss": rss_mib(pid), "cpu": cpu_seconds(pid)}
            for name, pid in processes.items()
        }

    def run(self):
        args = self.args
        targets = self.targets()
        self.warm_up(targets)
        before, load_before = self.snapshot(), os.getloadavg()
        answers = []
        started = time.time()
        deadline = time.monotonic() + args.duration

        def read(offset):
            i = offset
            while time.monotonic() < deadline:
                kind, path = targets[i % len(targets)]
                answers.append(fetch(self.port, path, kind))
                i += 1

        self.say(
            f"{args.readers} readers for {args.duration:g} s; Redis {args.redis_fault} "
            f"at {args.redis_down_at:g} s for {args.redis_down_for:g} s"
        )
        self.editor.stdin.write("go\n")
        readers = [
            threading.Thread(target=read, args=(n,), daemon=True) for n in range(args.readers)
        ]
        for reader in readers:
            reader.start()
        time.sleep(max(0.0, started + args.redis_down_at - time.time()))
        down = time.time()
        self.stop_redis()
        self.say(f"Redis stopped ({args.redis_fault})")
        if args.quiet_after_outage:
            time.sleep(max(0.0, down + args.redis_down_for / 2 - time.time()))
            self.stop_editor()
            self.say("the editor stopped publishing")
        time.sleep(max(0.0, down + args.redis_down_for - time.time()))
        self.resume_redis()
        up = time.time()
        self.say("Redis back")
        for reader in readers:
            reader.join(args.duration + 30)
        self.stop_editor()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.editor.wait(args.publish_every + 30)
        after, load_after = self.snapshot(), os.getloadavg()
        # Nothing stale once things are quiet: the last commit is what readers get.
        time.sleep(args.settle)
        final = [fetch(self.port, path, kind) for kind, path in targets if kind in MUST_SHOW]
        if args.keep:  # every answer, for a closer look
            with (self.work / "answers.jsonl").open("w") as out:
                for answer in answers:
                    out.write(json.dumps(asdict(answer)) + "\n")
        return self.result(
            answers, (down, up), started, (before, after), (load_before, load_after), final
        )

    def result(self, answers, outage, started, snapshots, loads, final):
        args = self.args
        commits = {
            e["counter"]: e["commit_time"]
            for e in self.events
            if e["event"] == "commit" and e["committed"]
        }
        publishes = [e for e in self.events if e["event"] == "commit" and e["counter"] > 0]
        errors = list(dict.fromkeys(e["error"] for e in publishes if e["error"]))
        before, after = snapshots
        processes = {}
        for name in dict.fromkeys([*before, *after]):
            b, a = before.get(name, {}), after.get(name, {})
            cpu = (
                a.get("cpu") - b.get("cpu")
                if a.get("pid") == b.get("pid")
                and a.get("cpu") is not None
                and b.get("cpu") is not None
                else None
            )
            processes[name] = {
                "rss_before_mib": b.get("rss"),
                "rss_after_mib": a.get("rss"),
                "cpu_s": None if cpu is None else round(cpu, 1),
            }
        workers = [n for n in before if n.startswith("gunicorn worker")]
        restarted = any(before[n]["pid"] != after.get(n, {}).get("pid") for n in workers)
        last = max(commits)
        shown = [a.counter for a in final]
        command = "make loadtest" + (f' LOADTEST_ARGS="{" ".join(args.argv)}"' if args.argv else "")
        return {
            "date": date.today().isoformat(),
            "commit": git_commit(),
            "command": command,
            "config": {
                k: getattr(args, k)
                for k in (
                    "readers",
                    "duration",
                    "publish_every",
                    "redis_fault",
                    "redis_down_at",
                    "redis_down_for",
                    "workers",
                    "settle",
                    "stale_bound",
                    "quiet_after_outage",
                )
            },
            "machine": machine(loads),
            "summary": summarise(answers, commits, outage, started, args.stale_bound),
            "editor": {
                "publishes": len(publishes),
                "committed": sum(1 for e in publishes if e["committed"]),
                "raised": sum(1 for e in publishes if e["error"]),
                "errors": errors[:3],
                "p50_ms": _ms(percentile([e["returned"] - e["started"] for e in publishes], 0.5)),
            },
            "processes": processes,
            "workers_restarted": restarted,
            "final": {
                "shown": shown,
                "last_committed": last,
                "current": all(c == last for c in shown),
            },
            "logs": {
                name: log_summary(self.work / f"{name}.log")
                for name in ("gunicorn", "worker", "editor")
            },
            "outage": {
                "down_s": round(outage[0] - started, 2),
                "up_s": round(outage[1] - started, 2),
            },
            "commits": [
                {"counter": c, "at_s": round(t - started, 3)} for c, t in sorted(commits.items())
            ],
        }

    def stop_editor(self):
        """Ask the editor to stop after the publish it is making."""
        if self.editor is not None and self.editor.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self.editor.stdin.write("stop\n")
                self.editor.stdin.flush()

    def teardown(self):
        self.stop_editor()
        for process in (self.editor, self.gunicorn, self.worker, self.redis):
            stop_process(process)
        with contextlib.suppress(subprocess.SubprocessError):
            self.psql(f"DROP DATABASE IF EXISTS {self.args.database} WITH (FORCE)")
        if self.args.keep:
            self.say(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def git_commit(ignored=(OPERATIONS, RESULTS)):
    """The short commit, "with local changes" when files other than ``ignored`` (what runs
    write: paths, or globs) differ from it."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            timeout=10,
        ).stdout.strip()
        # The results of an earlier run are not changes to what runs.
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                *(f":!{Path(path).relative_to(ROOT)}" for path in ignored),
            ],
            cwd=ROOT,
            text=True,
            capture_output=True,
            timeout=10,
        ).stdout
        return sha + (" with local changes" if dirty.strip() else "")
    return "unknown"


def machine(loads):
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for command in (["psql", "--version"], ["redis-server", "--version"]):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout
            versions.append(" ".join(out.split()[:3]).replace("(PostgreSQL) ", ""))
    description = ", ".join(
        [cpu, f"{os.cpu_count()} cores", f"Python {platform.python_version()}", *versions]
    )
    return {"description": description, "load": {"before": list(loads[0]), "after": list(loads[1])}}


# --- The editor (a process of its own, with the site's settings) --------------------


def prepare_site():
    """The database as ``make demo`` makes it, in one process: migrations, the cache
    table, the demo content."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", verbosity=0)


def emit(**event):
    print(json.dumps(event), flush=True)


def run_editor(slug, every):
    """Publish the article with counter 0, then on "go" every ``every`` seconds with the
    next counter until "stop" (or the end of stdin). Each publish is one line of JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from prism_news.models import ArticlePage

    users = get_user_model().objects
    admin, reviewer = users.get(username="admin"), users.get(username="chief-editor")
    article = ArticlePage.objects.get(slug=slug, locale__language_code="ja")
    base = MARKER.sub("", article.title).strip()
    section = article.get_parent().specific
    emit(event="ready", id=article.pk, path=article.get_url(), section=section.get_url())

    def publish(counter):
        page = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
        page.title = f"[lt-{counter}] {base}"
        page.record_review(reviewer)  # the reviewer approves the new wording
        stamp, error, started = [], "", time.time()
        try:
            with transaction.atomic():
                # First of the after-commit callbacks: the moment the commit returned,
                # before any invalidation, purge or webhook runs.
                transaction.on_commit(lambda: stamp.append(time.time()))
                page.save_revision(user=admin).publish(user=admin)
        except Exception as exc:  # an editor's publish that raised: noted, not fatal
            error = f"{type(exc).__name__}: {str(exc)[:120]}"
        returned = time.time()
        live = ArticlePage.objects.filter(pk=article.pk).values_list("title", flat=True)[0]
        committed = bool(stamp) or live == page.title
        emit(
            event="commit",
            counter=counter,
            committed=committed,
            commit_time=stamp[0] if stamp else returned,
            started=started,
            returned=returned,
            error=error,
        )

    publish(0)
    stop = threading.Event()

    def listen():
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stop.set()

    if sys.stdin.readline().strip() != "go":
        return
    threading.Thread(target=listen, daemon=True).start()
    counter, next_at = 0, time.monotonic()
    while not stop.is_set():
        counter += 1
        publish(counter)
        next_at += every
        stop.wait(max(0.0, next_at - time.monotonic()))


# --- Main ----------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of reading")
    parser.add_argument("--publish-every", type=float, default=2.0)
    parser.add_argument("--redis-fault", choices=["restart", "kill", "hang"], default="restart")
    parser.add_argument(
        "--redis-down-at",
        type=float,
        default=None,
        help="seconds into the run (default: the middle of the outage is the middle of the run)",
    )
    parser.add_argument("--redis-down-for", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--settle",
        type=float,
        default=STALE_BOUND + 1,
        help="seconds of quiet before the final check",
    )
    parser.add_argument("--stale-bound", type=float, default=STALE_BOUND)
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--article", default=ARTICLE_SLUG)
    parser.add_argument(
        "--record",
        default=None,
        help="also write the table into docs/operations.md's "
        "loadtest:RECORD block (e.g. before, after)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs' directory")
    parser.add_argument(
        "--quiet-after-outage",
        action="store_true",
        help="the editor's last publish is in the middle of the outage: nothing after it "
        "clears what the outage left in the cache",
    )
    parser.add_argument(
        "--render",
        metavar="JSON",
        help="no run: print (and with --record, write) the tables of a result written before",
    )
    parser.add_argument("--editor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.redis_down_at is None:
        args.redis_down_at = max(0.0, (args.duration - args.redis_down_for) / 2)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--database: lower-case letters, digits and _ only")
    args.argv = argv
    return args


def main(argv):
    args = parse(argv)
    if args.editor:
        run_editor(args.article, args.publish_every)
        return 0
    if args.prepare:
        prepare_site()
        return 0
    if args.render:
        text = markdown(json.loads(Path(args.render).read_text()))
        if args.record:
            write_record(text, args.record)
        print(text)
        return 0
    # `timeout`, Ctrl-C or a closed terminal: tear down all the same.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: sys.exit(128 + number))
    stack = Stack(args)
    try:
        stack.setup()
        result = stack.run()
    finally:
        stack.teardown()
    name = args.record or "latest"
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"loadtest-{name}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    text = markdown(result)
    if args.record:
        write_record(text, args.record)
    print("\n" + text)
    print(
        f"written: {out.relative_to(ROOT)}"
        + (f", {OPERATIONS.relative_to(ROOT)}" if args.record else "")
    )
    total = result["summary"]["total"]
    return 0 if not (total["5xx"] or total["stale"]) and result["final"]["current"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
