"""Benchmark: prism_news against stock Wagtail, at archive sizes of 1k, 10k and 100k.

    make bench        # PostgreSQL at 127.0.0.1:5432 (database prism_bench), else SQLite

Builds a realistic archive with ``benchmarks.archive`` (hero and body images, tags,
sources, a byline, half the stories also in English), growing it from one size to
the next, and at each size times, interleaved round by round so that every case sees
the same machine state: listings at limit 10 and 50 (from the top and deep, by offset
and by cursor), detail, find, the HTML article and section pages; prism_news with and
without its response cache; Wagtail's stock ``PagesAPIViewSet`` asked for the *same
card fields* (and, labelled apart, ``fields=*``); the first request for an article
after it is published; and a trivial Django view returning the cached detail's bytes
(the floor). Requests go in process through the whole middleware stack (Django's test
client: no network). Writes docs/performance.md and docs/performance-listing.png.

Bounded: BENCH_SIZES (default 1000,10000,100000), BENCH_ROUNDS (default 25) requests
per case and size. It stops by itself.
"""

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
PG = "postgres://postgres@127.0.0.1:5432/prism_bench"


def choose_database():
    """PostgreSQL when it answers (a fresh prism_bench database), else SQLite."""
    if os.environ.get("DATABASE_URL"):
        return
    created = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q",
         "-c", "DROP DATABASE IF EXISTS prism_bench", "-c", "CREATE DATABASE prism_bench"],
        capture_output=True, check=False,
    )  # fmt: skip
    if created.returncode == 0:
        os.environ["DATABASE_URL"] = PG


choose_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks.archive import build_archive  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 25))
CARD = "title,summary,url,category,language_label,published_at,reading_time,ai,hero_image"
TYPE = "type=prism_news.ArticlePage"
PLOT = "performance-listing.png"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cases(size, sample):
    """(group, label, url, cached) for one archive size."""
    deep = min(5000, size // 2)
    ours = f"/api/v2/pages/?{TYPE}"
    stock = f"/stock-api/v2/pages/?{TYPE}&order=-published_at"
    article, en_article, category_url, cursor = sample
    rows = [
        ("listing", "limit 10", f"{ours}&limit=10", None),
        ("listing", "limit 50", f"{ours}&limit=50", None),
        ("listing", f"limit 10, offset {deep}", f"{ours}&limit=10&offset={deep}", None),
        ("listing", f"limit 10, cursor at {deep}", f"{ours}&limit=10&cursor={cursor}", None),
        ("detail", "article", f"/api/v2/pages/{article}/", None),
        ("detail", "find (en html_path)", f"/api/v2/pages/find/?html_path={en_article}", None),
        ("html", "article page", None, "article"),
        ("html", "section page", category_url, None),
    ]
    table = []
    for group, label, url, special in rows:
        table.append((group, f"prism_news, {label}", url, special))
    table += [
        ("listing", "stock, same fields, limit 10", f"{stock}&fields={CARD}&limit=10", None),
        ("listing", "stock, same fields, limit 50", f"{stock}&fields={CARD}&limit=50", None),
        ("listing", f"stock, same fields, limit 10, offset {deep}",
         f"{stock}&fields={CARD}&limit=10&offset={deep}", None),
        ("listing", "stock, fields=* (not like for like), limit 10",
         f"{stock}&fields=*&limit=10", None),
        ("detail", "stock, article", f"/stock-api/v2/pages/{article}/", None),
    ]  # fmt: skip
    return table


def sample_pages(built):
    from prism_news.api.listing import make_cursor, newest_first
    from prism_news.models import ArticlePage

    article = ArticlePage.objects.get(pk=built["ja"][len(built["ja"]) // 3])
    en_article = ArticlePage.objects.get(pk=built["en"][0])
    ranked = newest_first(ArticlePage.objects.live())
    deep = min(5000, ranked.count() // 2)
    at = ranked[deep - 1]
    return article, en_article, article.get_parent().url, make_cursor(at)


def time_request(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    # find answers with a redirect to the detail; everything else with the content
    assert response.status_code in (200, 302), (url, response.status_code, response.content[:300])
    return elapsed


def measure(size, built):
    from prism_news.models import ArticlePage

    article, en_article, category_url, cursor = sample_pages(built)
    table = cases(size, (article.pk, en_article.url, category_url, cursor))
    table = [(g, label, url or article.url, s) for g, label, url, s in table]
    client = Client()
    results = {}
    for cached in (False, True):
        # The listing totals stay cached in both: "uncached" is without whole answers.
        with override_settings(PRISM_NEWS={**django.conf.settings.PRISM_NEWS,
                                           "RESPONSE_CACHE": cached,
                                           "API_COUNT_CACHE": True}):  # fmt: skip
            for _, _label, url, _ in table:  # warm up: renditions, connections, the cache
                time_request(client, url)
            times = {label: [] for _, label, _, _ in table}
            order = list(table)
            for _ in range(ROUNDS):
                random.shuffle(order)  # interleaved: every case sees the same conditions
                for _, label, url, _ in order:
                    times[label].append(time_request(client, url))
            for group, label, _url, _ in table:
                if cached and label.startswith("stock"):
                    continue  # stock has no response cache: its numbers are the uncached ones
                name = label + (", cached" if cached else "")
                results[name] = (group, statistics.median(times[label]),
                                 percentile(times[label], 0.95))  # fmt: skip
    results.update(first_after_publish(client, ArticlePage))
    results.update(floor(client, article))
    return results


def first_after_publish(client, ArticlePage):
    """The first requests after an article is published: its detail (renditions made by
    the publish, the answer not cached yet) and the listing (its total counted anew)."""
    detail, listing = [], []
    with override_settings(PRISM_NEWS={**django.conf.settings.PRISM_NEWS,
                                       "RESPONSE_CACHE": True,
                                       "API_COUNT_CACHE": True}):  # fmt: skip
        articles = list(ArticlePage.objects.live().filter(locale__language_code="ja")
                        .order_by("-pk")[: min(ROUNDS, 15)])  # fmt: skip
        for article in articles:
            article.title += " (updated)"
            article.save_revision().publish()
            detail.append(time_request(client, f"/api/v2/pages/{article.pk}/"))
            listing.append(time_request(client, f"/api/v2/pages/?{TYPE}&limit=10"))
    return {
        "prism_news, detail, first request after a publish":
            ("detail", statistics.median(detail), percentile(detail, 0.95)),
        "prism_news, limit 10, first request after a publish (total counted anew)":
            ("listing", statistics.median(listing), percentile(listing, 0.95)),
    }  # fmt: skip


def floor(client, article):
    """A trivial view returning the cached detail's bytes, next to the cached detail."""
    from benchmarks import urls

    url = f"/api/v2/pages/{article.pk}/"
    with override_settings(PRISM_NEWS={**django.conf.settings.PRISM_NEWS,
                                       "RESPONSE_CACHE": True}):  # fmt: skip
        urls.FLOOR_BYTES = client.get(url).content
        cached, trivial = [], []
        for _ in range(ROUNDS * 2):
            cached.append(time_request(client, url))
            trivial.append(time_request(client, "/bench-floor/"))
    return {
        "trivial view, same bytes (the floor)":
            ("floor", statistics.median(trivial), percentile(trivial, 0.95)),
        "prism_news, article detail, cached (next to the floor)":
            ("floor", statistics.median(cached), percentile(cached, 0.95)),
    }  # fmt: skip


def explain_listing():
    """The plan of the listing query at the largest size (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v2/pages/?{TYPE}&limit=10")
    sql = next(q["sql"] for q in queries if "LIMIT" in q["sql"] and "ORDER BY" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return [line for line in lines if "Scan" in line or "Sort" in line or "Limit" in line
            or "Execution" in line][:12]  # fmt: skip


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    cache = django.conf.settings.BENCH_CACHE
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}, "
            f"cache: {cache}; {date.today().isoformat()}")  # fmt: skip


def plot(by_size, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {
        "prism_news, limit 10 (uncached)": "prism_news, limit 10",
        "prism_news, limit 10 (response cache)": "prism_news, limit 10, cached",
        "stock Wagtail, same fields, limit 10": "stock, same fields, limit 10",
        "prism_news, offset 5000 (uncached)": None,
    }
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    sizes = sorted(by_size)
    for name, key in series.items():
        if key is None:
            key = next((k for k in by_size[sizes[-1]] if "offset" in k
                        and k.startswith("prism_news") and "cached" not in k), None)  # fmt: skip
        values = [by_size[s].get(key, (None, None, None))[1] for s in sizes]
        if key and all(v is not None for v in values):
            ax.plot(sizes, values, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_xlabel("articles in the archive (ja; half also in en)")
    ax.set_ylabel("median ms per request")
    ax.set_title("Article listing time against archive size")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def targets(by_size):
    """The issue's targets, computed from this run's medians."""
    sizes = sorted(by_size)
    small, large = by_size[sizes[0]], by_size[sizes[-1]]

    def p50(results, name):
        return results[name][1]

    rows = []
    ratio = p50(large, "prism_news, limit 10") / p50(small, "prism_news, limit 10")
    rows.append((f"listing p50 at {sizes[-1]:,} ≤ 1.3× at {sizes[0]:,} (uncached answer)",
                 f"{ratio:.2f}×", ratio <= 1.3))  # fmt: skip
    for size in sizes:
        ours, stock = (p50(by_size[size], n) for n in
                       ("prism_news, limit 10", "stock, same fields, limit 10"))  # fmt: skip
        rows.append((f"uncached listing ≤ stock same fields at {size:,}",
                     f"{ours:.1f} vs {stock:.1f} ms", ours <= stock))  # fmt: skip
    for size in sizes:
        cached, floor_ms = (p50(by_size[size], n) for n in (
            "prism_news, article detail, cached (next to the floor)",
            "trivial view, same bytes (the floor)"))  # fmt: skip
        rows.append((f"cached detail ≤ 1.5× the trivial view at {size:,}",
                     f"{cached / floor_ms:.2f}×", cached <= 1.5 * floor_ms))  # fmt: skip
    first = "prism_news, detail, first request after a publish"
    for size in sizes:
        cold, warm = p50(by_size[size], first), p50(by_size[size], "prism_news, article")
        measured = f"{cold:.1f} vs {warm:.1f} ms ({cold / warm:.2f}×)"
        what = f"detail: first request after a publish ≤ 1.2× a warm uncached one at {size:,}"
        rows.append((what, measured, cold <= 1.2 * warm))
    lines = ["### Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {what} | {value} | {'yes' if met else '**no**'} |" for what, value, met in rows]
    return [*lines, ""]


def write(by_size, plan, where):
    out = ROOT / "docs" / "performance.md"
    head = out.read_text().split("<!-- benchmark results -->")[0]
    lines = ["<!-- benchmark results -->", "", f"Measured with `make bench` on {where}.", "",
             f"{ROUNDS} requests per case and size, interleaved in random order round by round, "
             "after a warm-up; in process through the whole middleware stack. Median and 95th "
             "percentile in milliseconds.", "",
             f"![Article listing time against archive size]({PLOT})", ""]  # fmt: skip
    sizes = sorted(by_size)
    names = list(dict.fromkeys(n for s in sizes for n in by_size[s]))
    for group in ("listing", "detail", "html", "floor"):
        rows = [n for n in names if by_size[sizes[0]].get(n, ("",))[0] == group]
        if not rows:
            continue
        lines += [f"### {group.capitalize()}", "",
                  "| request | " + " | ".join(f"{s:,} p50 / p95" for s in sizes) + " |",
                  "|---|" + "---|" * len(sizes)]  # fmt: skip
        for name in rows:
            cells = []
            for s in sizes:
                found = by_size[s].get(name)
                cells.append(f"{found[1]:.1f} / {found[2]:.1f}" if found else "")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += targets(by_size)
    if plan:
        lines += [f"Plan of the listing query at {sizes[-1]:,} articles (EXPLAIN ANALYZE, "
                  "abridged):", "", "```text", *plan, "```", ""]  # fmt: skip
    out.write_text(head + "\n".join(lines))


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    where = machine()
    print("benchmark on", where, flush=True)
    by_size, built, have = {}, {"ja": [], "en": []}, 0
    for size in SIZES:
        start = time.monotonic()
        more = build_archive(size - have, categories=10, translated=0.5, seed=size)
        built["ja"] += more["ja"]
        built["en"] += more["en"]
        have = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{size:,} articles built in {time.monotonic() - start:.0f} s", flush=True)
        by_size[size] = measure(size, built)
        for name, (_, p50, p95) in by_size[size].items():
            print(f"  {size:>7,}  {name:<62} {p50:8.1f} {p95:8.1f}", flush=True)
    plan = explain_listing()
    plot(by_size, ROOT / "docs" / PLOT)
    write(by_size, plan, where)


if __name__ == "__main__":
    main()
