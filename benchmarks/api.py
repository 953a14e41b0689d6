"""Benchmark: prism_news against stock Wagtail, at archive sizes of 1k, 10k and 100k.

    make bench                                # every size; benchmarks/results/bench-latest.json
    BENCH_SIZES=1000 BENCH_ROUNDS=3 BENCH_LOAD_SECONDS=3 make bench     # a quick look
    make bench BENCH_ARGS=--record            # also docs/performance.md and its plots
    make bench BENCH_ARGS="--render benchmarks/results/bench-latest.json --record"

Builds a realistic archive with ``benchmarks.archive`` (hero and body images, tags, sources,
a byline, half the stories also in English) in a PostgreSQL database of its own
(``prism_bench``, dropped at the end; SQLite when PostgreSQL does not answer), growing it from
one size to the next, and the cache (Redis database 9 when Redis answers) emptied after each
build, since bulk inserts invalidate nothing. At each size:

- in process, through the whole middleware stack (Django's test client, no network), each case
  timed for wall time and this process's CPU time (``time.process_time``: the database's own
  CPU is not in it), all cases of a phase interleaved round by round in random order so that
  every case sees the same machine:

  - without the response cache (listing totals kept, as in production): v2 listings at limit
    10 and 50 and deep (by offset and by cursor), Wagtail's stock ``PagesAPIViewSet`` asked for
    the same card fields at limit 10 and 50, the v3 listing at limit 10, v2 detail and stock
    detail, ``find``, the HTML article and section pages, the sitemap index and the first page
    of the Japanese sitemap, the RSS and Atom feeds;
  - with it: the cached detail and listing, a 304 to ``If-None-Match``, and the floor: a
    trivial view returning the same bytes as each;
  - the first detail and listing after a publish (the listing's total counted anew);

- over HTTP: the same settings served by gunicorn (``BENCH_LOAD_WORKERS`` sync workers, default
  5) and ``BENCH_LOAD_CONCURRENCY`` client threads (default 8, ``http.client``, a connection
  per request) for ``BENCH_LOAD_SECONDS`` each (default 10): cached detail, uncached detail
  (a server without the response cache, 200 articles in turn), a mix (cached details of ten
  popular articles, the listing, the HTML article, and a new article of the archive's long
  tail for one request in five) and the trivial view, the ceiling. Requests per second, p50
  and p95 latency, and the server's CPU per request.

The machine's 1-minute load average is noted before and after each size. The issue's targets
are printed as met, missed or not measured (a target about a size the run did not reach).
Writes benchmarks/results/bench-latest.json; with ``--record``, also the part of
docs/performance.md after ``<!-- benchmark results -->`` and docs/performance-*.png.

Bounded: BENCH_SIZES (default 1000,10000,100000), BENCH_ROUNDS (default 25) rounds per phase
and size (the cached phase, a millisecond a request, 4 × as many), BENCH_LOAD_SECONDS per
throughput case. It stops by itself: gunicorn is stopped and the database dropped whatever
happens.
"""

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_site")]

from benchmarks.loadtest import (  # noqa: E402
    children,
    cpu_seconds,
    fetch,
    free_port,
    git_commit,
    percentile,
    stop_process,
)

DATABASE = "prism_bench"
PG = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
RESULTS = ROOT / "benchmarks" / "results" / "bench-latest.json"
DOCS = ROOT / "docs"
DOC = DOCS / "performance.md"
MARKER = "<!-- benchmark results -->"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 25))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 10))
CONCURRENCY = int(os.environ.get("BENCH_LOAD_CONCURRENCY", 8))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", 5))
#: The sizes the issue's targets are stated at.
SMALL, MIDDLE, LARGE = 1_000, 10_000, 100_000
CARD = "title,summary,url,category,language_label,published_at,reading_time,ai,hero_image"
TYPE = "type=prism_news.ArticlePage"
#: The issue's uncached detail throughput at 100k (gunicorn, 5 workers): the target is 3× it.
DETAIL_RPS_BEFORE = 7.0

#: key: (group, label). Groups make the tables and the plots.
CASES = {
    "v2 listing 10": ("listing", "prism_news v2, limit 10"),
    "v2 listing 50": ("listing", "prism_news v2, limit 50"),
    "stock listing 10": ("listing", "stock PagesAPIViewSet, same card fields, limit 10"),
    "stock listing 50": ("listing", "stock PagesAPIViewSet, same card fields, limit 50"),
    "v2 listing offset": ("listing", "prism_news v2, limit 10, deep by offset"),
    "v2 listing cursor": ("listing", "prism_news v2, limit 10, deep by cursor"),
    "v3 listing 10": ("listing", "v3 (/api/v3/pages/), limit 10"),
    "v2 detail": ("detail", "prism_news v2 detail"),
    "stock detail": ("detail", "stock PagesAPIViewSet detail"),
    "find": ("detail", "find (an English html_path; a 302 to the detail)"),
    "html article": ("detail", "HTML article page"),
    "html section": ("detail", "HTML section page"),
    "sitemap index": ("sitemaps and feeds", "/sitemap.xml (the index)"),
    "sitemap ja": ("sitemaps and feeds", "/sitemap-ja.xml (its first page)"),
    "rss": ("sitemaps and feeds", "/feeds/rss/"),
    "atom": ("sitemaps and feeds", "/feeds/atom/"),
    "cached detail": ("cached", "v2 detail, response cache hit"),
    "cached listing": ("cached", "v2 listing limit 10, response cache hit"),
    "304 detail": ("cached", "v2 detail, If-None-Match: a 304"),
    "floor detail": ("cached", "trivial view, the detail's bytes (the floor)"),
    "floor listing": ("cached", "trivial view, the listing's bytes (the floor)"),
    "first detail after publish": ("after a publish", "v2 detail, first request after a publish"),
    "first listing after publish": (
        "after a publish",
        "v2 listing limit 10, first request after a publish (its cached total dropped)",
    ),
    "first v3 listing after publish": (
        "after a publish",
        "v3 listing limit 10, first request after a publish",
    ),
    "publish": (
        "after a publish",
        "the publish itself (save_revision().publish(), with its section's recount)",
    ),
}
GROUPS = ["listing", "detail", "sitemaps and feeds", "cached", "after a publish"]
LOAD_CASES = {
    "cached detail": "cached detail (one article)",
    "uncached detail": "uncached detail (200 articles in turn, no response cache)",
    "mix": "mix (popular details, listing, article page; 1 in 5 from the long tail)",
    "trivial view": "trivial view, the detail's bytes (the ceiling)",
}
#: The plot files under docs/, one per measure.
PLOTS = {
    "listing": "performance-listing.png",
    "detail": "performance-detail.png",
    "sitemaps and feeds": "performance-sitemaps-feeds.png",
    "cached": "performance-cached.png",
    "after a publish": "performance-after-publish.png",
    "throughput": "performance-throughput.png",
}


# --- The pure part: what a run's numbers say -----------------------------------------


def summary(samples):
    """``[(wall ms, CPU ms), ...]`` as n, wall p50 and p95, CPU p50."""
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    return {
        "n": len(samples),
        "p50": round(statistics.median(walls), 2),
        "p95": round(percentile(walls, 0.95), 2),
        "cpu_p50": round(statistics.median(cpus), 2),
    }


def _case(sizes, size, key, field="p50"):
    return sizes.get(str(size), {}).get("cases", {}).get(key, {}).get(field)


def _load(sizes, size, key, field="rps"):
    return sizes.get(str(size), {}).get("throughput", {}).get(key, {}).get(field)


def _row(what, value, met):
    return {"target": what, "measured": value, "status": "met" if met else "missed"}


def _unmeasured(what):
    return {"target": what, "measured": None, "status": "not measured"}


def _at_most(what, value, other, bound, unit="ms"):
    """``value ≤ bound × other``; not measured when either is missing."""
    if value is None or other is None:
        return _unmeasured(what)
    shown = f"{value:.1f} vs {other:.1f} {unit} ({value / other:.2f}×)"
    return _row(what, shown, value <= bound * other)


def targets(sizes):
    """The issue's targets from a run's ``sizes`` (``{"1000": {"cases": ..., "throughput":
    ...}}``): a list of ``{"target", "measured", "status"}``, status one of "met", "missed",
    "not measured" (a size or a case the run did not have)."""
    every = (SMALL, MIDDLE, LARGE)
    # (target, (size, case), (size, case) it is compared with, the bound on their ratio)
    ratios = [
        *(
            (f"uncached v2 listing (limit 10) ≤ 0.35× stock same fields at {size:,}",
             (size, "v2 listing 10"), (size, "stock listing 10"), 0.35)
            for size in every
        ),
        *(
            (f"{name} at {LARGE:,} ≤ 1.3× at {SMALL:,}", (LARGE, key), (SMALL, key), 1.3)
            for key, name in (
                ("v2 detail", "v2 detail"),
                ("html article", "HTML article"),
                ("v3 listing 10", "v3 listing (limit 10)"),
            )
        ),
        *(
            (f"first {name} after a publish ≤ 1.5× a warm one at {size:,}",
             (size, first), (size, warm), 1.5)
            for size in every
            for name, first, warm in (
                ("listing", "first listing after publish", "v2 listing 10"),
                ("v3 listing", "first v3 listing after publish", "v3 listing 10"),
            )
        ),
        *(
            (f"cached {what} ≤ 1.3× the trivial view, in process, at {size:,}",
             (size, f"cached {what}"), (size, f"floor {what}"), 1.3)
            for size in every
            for what in ("detail", "listing")
        ),
    ]  # fmt: skip
    rows = [
        _at_most(target, _case(sizes, *value), _case(sizes, *other), bound)
        for target, value, other, bound in ratios
    ]
    for size in (SMALL, MIDDLE, LARGE):
        # Over HTTP in requests per second: the floor's rate ≤ 1.3× the cached detail's.
        what = f"cached detail over HTTP ≥ 1/1.3 of the trivial view's requests/s at {size:,}"
        cached, trivial = _load(sizes, size, "cached detail"), _load(sizes, size, "trivial view")
        if cached is None or trivial is None:
            rows.append(_unmeasured(what))
        else:
            shown = f"{cached:.0f} vs {trivial:.0f} req/s ({cached / trivial:.2f}×)"
            rows.append(_row(what, shown, trivial <= 1.3 * cached))
    for key, name in (("sitemap index", "/sitemap.xml"), ("sitemap ja", "/sitemap-ja.xml")):
        what = f"{name} uncached ≤ 1 s at {LARGE:,}"
        value = _case(sizes, LARGE, key)
        rows.append(
            _unmeasured(what) if value is None else _row(what, f"{value:.0f} ms", value <= 1000)
        )
    what = f"uncached detail throughput at {LARGE:,} ≥ 3× the issue's {DETAIL_RPS_BEFORE:g} req/s"
    value = _load(sizes, LARGE, "uncached detail")
    rows.append(
        _unmeasured(what)
        if value is None
        else _row(what, f"{value:.1f} req/s", value >= 3 * DETAIL_RPS_BEFORE)
    )
    return rows


def _cell(case):
    if not case:
        return ""
    return f"{case['p50']:.1f} / {case['p95']:.1f} ({case['cpu_p50']:.1f})"


def images(names):
    """Markdown lines showing the plots ``names``, each in a paragraph of its own."""
    titles = {name: group for group, name in PLOTS.items()}
    lines = []
    for name in names:
        lines += [f"![{titles.get(name, name).capitalize()} against archive size]({name})", ""]
    return lines


def markdown(result, plots=()):
    """The run as the part of docs/performance.md after the marker."""
    sizes = result["sizes"]
    order = sorted(sizes, key=int)
    config = result["config"]
    status = {
        s: [t for t in result["targets"] if t["status"] == s]
        for s in ("met", "missed", "not measured")
    }
    lines = [
        f"Run on {result['date']} at commit `{result['commit']}`: `{result['command']}`, on "
        f"{result['machine']}.",
        "",
        "Load average (1 min) when each size's measuring began (after its build) → ended: "
        + "; ".join(
            f"{int(s):,}: {sizes[s]['load']['before']:.2f} → {sizes[s]['load']['after']:.2f}"
            for s in order
        )
        + ".",
        "",
    ]
    if status["missed"]:
        lines += ["**Targets missed in this run:**", ""]
        lines += [f"- {t['target']}: {t['measured']}" for t in status["missed"]]
    else:
        lines.append("No target measured in this run was missed.")
    lines += [
        "",
        f"{len(status['met'])} met, {len(status['missed'])} missed, "
        f"{len(status['not measured'])} not measured (sizes or cases the run did not "
        "have).",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for t in result["targets"]:
        mark = {"met": "met", "missed": "**missed**", "not measured": "not measured"}
        lines.append(f"| {t['target']} | {t['measured'] or '–'} | {mark[t['status']]} |")
    lines += [
        "",
        "### In process",
        "",
        f"{config['rounds']} rounds per case and size ({4 * config['rounds']} for the cached "
        "ones), the cases of a phase interleaved in random order round by round, after a "
        "warm-up; through the whole middleware stack (Django's test client). Milliseconds: "
        "wall p50 / p95 (this process's CPU p50; the rest of the wall time is mostly the "
        "database's and the cache's). Uncached cases have the response cache off and the "
        "listing totals kept, as in production.",
        "",
    ]
    lines += images([name for name in plots if "throughput" not in name])
    for group in GROUPS:
        keys = [
            k
            for k, (g, _) in CASES.items()
            if g == group and any(k in sizes[s]["cases"] for s in order)
        ]
        if not keys:
            continue
        lines += [
            "",
            f"#### {group.capitalize()}",
            "",
            "| request | " + " | ".join(f"{int(s):,}" for s in order) + " |",
            "|---|" + "---|" * len(order),
        ]
        for key in keys:
            cells = [_cell(sizes[s]["cases"].get(key)) for s in order]
            lines.append(f"| {CASES[key][1]} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Over HTTP",
        "",
        f"gunicorn with {config['workers']} sync workers, {config['concurrency']} client "
        f"threads (a connection per request) for {config['load_seconds']:g} s per case, one "
        "case after the other; the client runs on the same machine and its CPU is shown. "
        "Server CPU is the workers' user and system time per request.",
        "",
    ]
    lines += images([name for name in plots if "throughput" in name])
    lines += [
        "",
        "| articles | case | requests/s | p50 / p95 ms | errors | cache hits | "
        "server CPU ms/request | client CPU s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in order:
        for key, load in sizes[s].get("throughput", {}).items():
            lines.append(
                f"| {int(s):,} | {LOAD_CASES.get(key, key)} | {load['rps']:.1f} | "
                f"{load['p50']:.1f} / {load['p95']:.1f} | {load['errors']} | "
                f"{load['hits']} of {load['requests']} | {load['server_cpu_ms']:.1f} | "
                f"{load['client_cpu_s']:.1f} |"
            )
    if result.get("plan"):
        lines += [
            "",
            f"Plan of the listing query at {int(order[-1]):,} articles (EXPLAIN "
            "ANALYZE, abridged):",
            "",
            "```text",
            *result["plan"],
            "```",
        ]
    return "\n".join(lines) + "\n"


def write_doc(text, path=DOC):
    """Replace what follows the marker in docs/performance.md (the prose before it stays)."""
    doc = path.read_text()
    if MARKER not in doc:
        raise SystemExit(f"{path} has no {MARKER} to write after")
    path.write_text(doc.split(MARKER)[0] + MARKER + "\n\n" + text)


def plot(result, directory):
    """One plot per measure against archive size; returns the file names written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = result["sizes"]
    order = sorted(sizes, key=int)
    xs = [int(s) for s in order]
    written = []
    for group, name in PLOTS.items():
        fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
        if group == "throughput":
            for key, label in LOAD_CASES.items():
                ys = [sizes[s].get("throughput", {}).get(key, {}).get("rps") for s in order]
                if any(y is not None for y in ys):
                    ax.plot(xs, ys, marker="o", label=label)
            ax.set_ylabel("requests per second")
            ax.set_title("Throughput over HTTP against archive size")
        else:
            for key, (g, label) in CASES.items():
                if g != group:
                    continue
                walls = [sizes[s]["cases"].get(key, {}).get("p50") for s in order]
                cpus = [sizes[s]["cases"].get(key, {}).get("cpu_p50") for s in order]
                if all(w is None for w in walls):
                    continue
                (line,) = ax.plot(xs, walls, marker="o", label=label)
                ax.plot(xs, cpus, marker=".", linestyle="--", color=line.get_color())
            ax.set_ylabel("median ms per request (dashed: CPU of the process)")
            ax.set_title(f"{group.capitalize()}: time against archive size")
        ax.set_xscale("log")
        ax.set_xlabel("articles in the archive (ja; half also in en)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(directory / name)
        plt.close(fig)
        written.append(name)
    return written


# --- Measuring --------------------------------------------------------------------------


def timed(client, url, status=200, **headers):
    """(wall ms, CPU ms of this process) for one request, whose status must be ``status``."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, **headers)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return wall * 1000, cpu * 1000


def prism_settings(**changes):
    import django.conf
    from django.test import override_settings

    return override_settings(PRISM_NEWS={**django.conf.settings.PRISM_NEWS, **changes})


def interleaved(client, requests, rounds):
    """``{key: (url, status, headers)}`` timed ``rounds`` times each, in random order round
    by round, after one warm-up request each."""
    for url, status, headers in requests.values():
        timed(client, url, status, **headers)
    samples = {key: [] for key in requests}
    order = list(requests)
    for _ in range(rounds):
        random.shuffle(order)
        for key in order:
            url, status, headers = requests[key]
            samples[key].append(timed(client, url, status, **headers))
    return {key: summary(s) for key, s in samples.items()}


def sample_pages(built):
    from prism_news.api.listing import make_cursor, newest_first
    from prism_news.models import ArticlePage

    article = ArticlePage.objects.get(pk=built["ja"][len(built["ja"]) // 3])
    en_article = ArticlePage.objects.get(pk=built["en"][0])
    ranked = newest_first(ArticlePage.objects.live())
    deep = min(5000, ranked.count() // 2)
    return {
        "article": article,
        "en_url": en_article.url,
        "section_url": article.get_parent().url,
        "deep": deep,
        "cursor": make_cursor(ranked[deep - 1]),
    }


def measure_in_process(sample, floor_dir):
    from django.test import Client

    from benchmarks import urls

    client = Client()
    article, deep = sample["article"], sample["deep"]
    ours, stock = f"/api/v2/pages/?{TYPE}", f"/stock-api/v2/pages/?{TYPE}&order=-published_at"
    detail, listing = f"/api/v2/pages/{article.pk}/", f"{ours}&limit=10"
    uncached = {
        "v2 listing 10": listing,
        "v2 listing 50": f"{ours}&limit=50",
        "stock listing 10": f"{stock}&fields={CARD}&limit=10",
        "stock listing 50": f"{stock}&fields={CARD}&limit=50",
        "v2 listing offset": f"{ours}&limit=10&offset={deep}",
        "v2 listing cursor": f"{ours}&limit=10&cursor={sample['cursor']}",
        "v3 listing 10": f"/api/v3/pages/?{TYPE}&limit=10",
        "v2 detail": detail,
        "stock detail": f"/stock-api/v2/pages/{article.pk}/",
        "find": (f"/api/v2/pages/find/?html_path={sample['en_url']}", 302),
        "html article": article.url,
        "html section": sample["section_url"],
        "sitemap index": "/sitemap.xml",
        "sitemap ja": "/sitemap-ja.xml",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
    }
    uncached = {k: (v, 200, {}) if isinstance(v, str) else (*v, {}) for k, v in uncached.items()}
    with prism_settings(RESPONSE_CACHE=False, API_COUNT_CACHE=True):
        cases = interleaved(client, uncached, ROUNDS)
    with prism_settings(RESPONSE_CACHE=True, API_COUNT_CACHE=True):
        etag = client.get(detail)["ETag"]
        urls.FLOOR["detail"] = client.get(detail).content
        urls.FLOOR["listing"] = client.get(listing).content
        for name, content in urls.FLOOR.items():  # the same bytes for the served floor
            (floor_dir / name).write_bytes(content)
        cases |= interleaved(
            client,
            {
                "cached detail": (detail, 200, {}),
                "cached listing": (listing, 200, {}),
                "304 detail": (detail, 304, {"HTTP_IF_NONE_MATCH": etag}),
                "floor detail": ("/bench-floor/detail/", 200, {}),
                "floor listing": ("/bench-floor/listing/", 200, {}),
            },
            4 * ROUNDS,
        )
        cases |= first_after_publish(client)
    return cases


def first_after_publish(client):
    """The first requests after an article is published: its detail (renditions made by
    the publish, the answer not cached yet) and the listing (its total counted anew)."""
    from prism_news.models import ArticlePage

    detail, listing, v3, publish = [], [], [], []
    articles = list(
        ArticlePage.objects.live()
        .filter(locale__language_code="ja")
        .order_by("-pk")[: min(ROUNDS, 15)]
    )
    for article in articles:
        article.title += " (updated)"
        wall, cpu = time.perf_counter(), time.process_time()
        article.save_revision().publish()
        publish.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
        detail.append(timed(client, f"/api/v2/pages/{article.pk}/"))
        listing.append(timed(client, f"/api/v2/pages/?{TYPE}&limit=10"))
        v3.append(timed(client, f"/api/v3/pages/?{TYPE}&limit=10"))
    return {
        "first detail after publish": summary(detail),
        "first listing after publish": summary(listing),
        "first v3 listing after publish": summary(v3),
        "publish": summary(publish),
    }


class Server:
    """gunicorn serving the benchmark's settings on the run's database and cache."""

    def __init__(self, work, response_cache):
        self.work, self.port = work, free_port()
        self.log = work / f"gunicorn-{'cached' if response_cache else 'uncached'}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
            "PRISM_BENCH_RESPONSE_CACHE": "1" if response_cache else "0",
            "PRISM_BENCH_FLOOR": str(work / "floor"),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "django.core.wsgi:get_wsgi_application()",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while fetch(self.port, "/bench-floor/detail/", "probe", timeout=5).status != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
                raise SystemExit(f"gunicorn did not answer on /bench-floor/detail/:\n{log}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        stop_process(self.process)

    def cpu(self):
        return sum(cpu_seconds(pid) or 0.0 for pid in children(self.process.pid))


def load(server, paths, seconds=None):
    """``CONCURRENCY`` threads asking for ``next(paths)`` for ``seconds``, after a third as
    long (at most 3 s) of the same unmeasured, so that every worker has answered before."""
    seconds = LOAD_SECONDS if seconds is None else seconds
    lock = threading.Lock()

    def ask():
        with lock:
            path = next(paths)
        return fetch(server.port, path, "load")

    def run_for(duration):
        answers, deadline = [], time.monotonic() + duration

        def worker():
            mine = []
            while time.monotonic() < deadline:
                mine.append(ask())
            with lock:
                answers.extend(mine)

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(CONCURRENCY)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration + 30)
        return answers

    run_for(min(3.0, seconds / 3))
    server_cpu, client_cpu, started = server.cpu(), time.process_time(), time.monotonic()
    answers = run_for(seconds)
    elapsed = time.monotonic() - started
    server_cpu, client_cpu = server.cpu() - server_cpu, time.process_time() - client_cpu
    ok = [a.latency * 1000 for a in answers if a.status == 200]
    return {
        "seconds": round(elapsed, 2),
        "requests": len(answers),
        "errors": len(answers) - len(ok),
        "hits": sum(1 for a in answers if a.hit),
        "rps": round(len(ok) / elapsed, 2),
        "p50": round(percentile(ok, 0.5), 2) if ok else 0.0,
        "p95": round(percentile(ok, 0.95), 2) if ok else 0.0,
        "server_cpu_ms": round(server_cpu * 1000 / max(1, len(answers)), 2),
        "client_cpu_s": round(client_cpu, 2),
    }


def cycle(items):
    while True:
        yield from items


def mix(sample, popular, tail):
    """Ten requests at a time: six details of ten popular articles, the listing, the HTML
    article, and two details from the long tail (each a new article while the tail lasts)."""
    tail = cycle(tail)
    popular = cycle(popular)
    while True:
        for slot in range(10):
            if slot < 6:
                yield f"/api/v2/pages/{next(popular)}/"
            elif slot == 6:
                yield f"/api/v2/pages/?{TYPE}&limit=10"
            elif slot == 7:
                yield sample["article"].url
            else:
                yield f"/api/v2/pages/{next(tail)}/"


def measure_throughput(sample, ids, work):
    rng = random.Random(len(ids))
    shuffled = rng.sample(ids, len(ids))
    popular, tail, uncached = shuffled[:10], shuffled[10:], shuffled[:200]
    detail = f"/api/v2/pages/{sample['article'].pk}/"
    results = {}
    with Server(work, response_cache=True) as server:
        results["cached detail"] = load(server, cycle([detail]))
        results["mix"] = load(server, mix(sample, popular, tail))
        results["trivial view"] = load(server, cycle(["/bench-floor/detail/"]))
    with Server(work, response_cache=False) as server:
        results["uncached detail"] = load(
            server, cycle([f"/api/v2/pages/{pk}/" for pk in uncached])
        )
    return {key: results[key] for key in LOAD_CASES}


def explain_listing():
    """The plan of the listing query at the largest size (PostgreSQL)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return None
    with prism_settings(RESPONSE_CACHE=False), CaptureQueriesContext(connection) as queries:
        Client().get(f"/api/v2/pages/?{TYPE}&limit=10")
    sql = next(
        q["sql"]
        for q in queries
        if 'FROM "prism_news_articlepage"' in q["sql"] and "LIMIT" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return [
        line
        for line in lines
        if "Scan" in line or "Sort" in line or "Limit" in line or "Execution" in line
    ][:12]


def describe_machine():
    import django.conf
    from django.db import connection

    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    cache = django.conf.settings.BENCH_CACHE
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}, "
        f"cache: {cache}"
    )


def command():
    env = " ".join(
        f"{k}={os.environ[k]}"
        for k in (
            "BENCH_SIZES",
            "BENCH_ROUNDS",
            "BENCH_LOAD_SECONDS",
            "BENCH_LOAD_CONCURRENCY",
            "BENCH_LOAD_WORKERS",
        )
        if k in os.environ
    )
    return f"{env} make bench".strip()


def run(work):
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks.archive import build_archive

    setup_test_environment()
    call_command("migrate", verbosity=0)
    (work / "floor").mkdir()
    result = {
        "date": date.today().isoformat(),
        "commit": git_commit(ignored=(DOC, DOCS / "performance-*.png", RESULTS.parent)),
        "command": command(),
        "machine": describe_machine(),
        "config": {
            "sizes": SIZES,
            "rounds": ROUNDS,
            "load_seconds": LOAD_SECONDS,
            "concurrency": CONCURRENCY,
            "workers": WORKERS,
        },
        "sizes": {},
    }
    print("benchmark on", result["machine"], flush=True)
    built, have = {"ja": [], "en": []}, 0
    for size in SIZES:
        seconds, clock = {}, time.monotonic()
        more = build_archive(size - have, categories=10, translated=0.5, seed=size)
        built["ja"] += more["ja"]
        built["en"] += more["en"]
        have = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        caches["default"].clear()  # bulk inserts invalidate nothing: start every size empty
        seconds["build"], clock = round(time.monotonic() - clock, 1), time.monotonic()
        print(f"{size:,} articles built in {seconds['build']:.0f} s", flush=True)
        before = os.getloadavg()[0]
        sample = sample_pages(built)
        cases = measure_in_process(sample, work / "floor")
        seconds["in_process"], clock = round(time.monotonic() - clock, 1), time.monotonic()
        for key, case in cases.items():
            print(f"  {size:>7,}  {CASES[key][1]:<70} {_cell(case)}", flush=True)
        throughput = measure_throughput(sample, built["ja"] + built["en"], work)
        seconds["throughput"] = round(time.monotonic() - clock, 1)
        for key, case in throughput.items():
            print(
                f"  {size:>7,}  {LOAD_CASES[key]:<70} {case['rps']:8.1f} req/s  p50 "
                f"{case['p50']:.1f} p95 {case['p95']:.1f} ms  errors {case['errors']}  "
                f"server CPU {case['server_cpu_ms']:.1f} ms/request",
                flush=True,
            )
        after = os.getloadavg()[0]
        print(f"  load average {before:.2f} → {after:.2f}; seconds {seconds}", flush=True)
        result["sizes"][str(size)] = {
            "deep": sample["deep"],
            "load": {"before": before, "after": after},
            "seconds": seconds,
            "cases": cases,
            "throughput": throughput,
        }
    result["plan"] = explain_listing()
    result["targets"] = targets(result["sizes"])
    return result


def report(result, record):
    for t in result["targets"]:
        status = {"met": "met", "missed": "MISSED", "not measured": "not measured"}
        print(
            f"{status[t['status']]}: {t['target']}"
            + (f": {t['measured']}" if t["measured"] else ""),
            flush=True,
        )
    if record:
        plots = plot(result, DOCS)
        write_doc(markdown(result, plots))
        print(f"wrote {DOC.relative_to(ROOT)} and", ", ".join(f"docs/{p}" for p in plots))


def psql(*sql):
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    for statement in sql:
        command += ["-c", statement]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--record",
        action="store_true",
        help="also write docs/performance.md (after its marker) and the plots",
    )
    parser.add_argument(
        "--render",
        metavar="JSON",
        help="no run: report (and with --record, write) a result saved before",
    )
    args = parser.parse_args(argv)
    if args.render:
        result = json.loads(Path(args.render).read_text())
        result["targets"] = targets(result["sizes"])
        report(result, args.record)
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):  # tear down all the same
        signal.signal(signum, lambda number, _frame: sys.exit(128 + number))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    work = Path(tempfile.mkdtemp(prefix="prism-bench-"))
    # Every process of the run (this one and gunicorn's) reads the same images.
    os.environ["PRISM_BENCH_MEDIA_ROOT"] = str(work / "media")
    drop = False
    if not os.environ.get("DATABASE_URL"):
        created = psql(
            f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}"
        )
        if created.returncode == 0:
            os.environ["DATABASE_URL"], drop = PG, True
        else:  # a file every process of the run opens (removed with the work directory)
            print("PostgreSQL did not answer: SQLite", flush=True)
            os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    try:
        result = run(work)
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print("wrote", RESULTS.relative_to(ROOT), flush=True)
    report(result, args.record)


if __name__ == "__main__":
    main()
