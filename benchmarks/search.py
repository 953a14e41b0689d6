"""Benchmark: search quality and speed through the public v2 API, at 1k, 10k and 100k articles.

    make search-bench                                  # every size
    SEARCH_BENCH_SIZES=1000 make search-bench          # one size
    SEARCH_BENCH_ARGS=--record make search-bench       # also write docs/search.md

Builds, in a PostgreSQL database of its own (``prism_search_bench``, dropped at the end),
the demo, the search corpus (``benchmarks.search_corpus``: the relevance set's answers,
distractors, template articles) and the bulk archive (``benchmarks.archive``) up to each
size, indexes it with Wagtail's ``update_index``, then at each size:

- quality: recall@10 and MRR per language over ``benchmarks/search_relevance.json``,
  each query asked as a front end asks (``?type=prism_news.ArticlePage&search=...&locale=...``);
- speed: the relevance set's queries and the listing of the same articles (same card
  fields, limit 10, same locale), interleaved in random order round by round, with wall
  time, the process's CPU time (the database's own CPU is not in it: wall minus CPU is
  mostly waiting for PostgreSQL) and the machine's load average beside them.

Prints each target as met or missed: recall@10 >= 0.95 in Japanese; search p50 at the
largest size <= 2x the listing's. Writes benchmarks/results/search-latest.json; with
``--record``, replaces the "Measured quality and speed" section of docs/search.md.

Bounded: SEARCH_BENCH_SIZES (default 1000,10000,100000); SEARCH_BENCH_ROUNDS (default 5)
rounds of timing per size, cut short after SEARCH_BENCH_SECONDS (default 300) of timing.

A figure from a loaded machine is not a result: before timing each size, the run waits
(at most SEARCH_BENCH_QUIET_WAIT seconds, default 300) for the 1-minute load average to fall
below SEARCH_BENCH_QUIET_LOAD (default 1.0); with SEARCH_BENCH_QUIET_FILE set, it creates
that file while it waits and times, and removes it afterwards, so that other work on the
machine that watches for the file can hold back. The load before and after is recorded.
"""

import argparse
import json
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
DATABASE = "prism_search_bench"
RESULTS = ROOT / "benchmarks" / "results" / "search-latest.json"
DOC = ROOT / "docs" / "search.md"
SIZES = [int(s) for s in os.environ.get("SEARCH_BENCH_SIZES", "1000,10000,100000").split(",")]
ROUNDS = int(os.environ.get("SEARCH_BENCH_ROUNDS", 5))
SECONDS = float(os.environ.get("SEARCH_BENCH_SECONDS", 300))
QUIET_WAIT = float(os.environ.get("SEARCH_BENCH_QUIET_WAIT", 300))
QUIET_LOAD = float(os.environ.get("SEARCH_BENCH_QUIET_LOAD", 1.0))
QUIET_FILE = os.environ.get("SEARCH_BENCH_QUIET_FILE", "")
RECALL_TARGET = 0.95
RATIO_TARGET = 2.0


def psql(*sql):
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    for statement in sql:
        command += ["-c", statement]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(client, url):
    """(wall ms, CPU ms of this process) for one request; the answer must be a 200."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return wall * 1000, cpu * 1000


def summary(samples):
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    return {
        "n": len(samples),
        "p50": statistics.median(walls),
        "p95": percentile(walls, 0.95),
        "cpu_p50": statistics.median(cpus),
    }


def wait_for_quiet():
    """Wait, within QUIET_WAIT, for the load average to fall below QUIET_LOAD; the waited
    seconds."""
    started = time.monotonic()
    while os.getloadavg()[0] >= QUIET_LOAD and time.monotonic() - started < QUIET_WAIT:
        time.sleep(5)
    return time.monotonic() - started


def speed(client, queries, deadline):
    """Search and listing latency, interleaved round by round in random order."""
    from benchmarks.search_relevance import LISTING, search_url

    cases = [("search", q["language"], search_url(q["query"], q["language"])) for q in queries]
    # The listing of the same locale, as often as that locale's searches, shuffled in.
    cases += [("listing", kind, f"{LISTING}&locale={kind}&limit=10") for _, kind, _ in cases]
    for _, _, url in set(cases):  # warm up: connections, renditions, the count cache
        timed(client, url)
    samples = {}
    load = [os.getloadavg()]
    rounds = 0
    while rounds < ROUNDS and (rounds == 0 or time.monotonic() < deadline):
        order = list(cases)
        random.shuffle(order)
        for kind, language, url in order:
            samples.setdefault((kind, language), []).append(timed(client, url))
        rounds += 1
    load.append(os.getloadavg())
    result = {f"{kind} {language}": summary(s) for (kind, language), s in sorted(samples.items())}
    for kind in ("listing", "search"):
        both = [x for (k, _), s in samples.items() if k == kind for x in s]
        result[f"{kind} all"] = summary(both)
    return {"rounds": rounds, "load": load, "cases": result}


def build(size, have):
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.archive import build_archive

    start = time.monotonic()
    build_archive(size - have, categories=10, translated=0.5, seed=size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built_in = time.monotonic() - start
    start = time.monotonic()
    with open(os.devnull, "w") as devnull:
        call_command("update_index", stdout=devnull, stderr=devnull)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"build_seconds": built_in, "index_seconds": time.monotonic() - start}


def quality(client, queries):
    from benchmarks.search_relevance import evaluate

    result = evaluate(client, queries)
    return {
        language: {
            "recall_at_10": row["recall"],
            "mrr": row["mrr"],
            "queries": len(row["queries"]),
            "missed": [
                {"id": q["id"], "query": q["query"], "recall": q["recall"], "rr": q["rr"],
                 "missed": q["missed"]}
                for q in row["queries"] if q["recall"] < 1 or q["rr"] < 1
            ],
        }
        for language, row in result.items()
    }  # fmt: skip


def targets(by_size):
    sizes = sorted(by_size, key=int)
    largest = by_size[sizes[-1]]
    rows = []
    for size in sizes:
        recall = by_size[size]["quality"]["ja"]["recall_at_10"]
        rows.append((f"recall@10 ≥ {RECALL_TARGET} in Japanese at {int(size):,}",
                     f"{recall:.3f}", recall >= RECALL_TARGET))  # fmt: skip
    cases = largest["speed"]["cases"]
    search, listing = cases["search all"]["p50"], cases["listing all"]["p50"]
    rows.append((f"search p50 ≤ {RATIO_TARGET:g}× the listing's at {int(sizes[-1]):,}",
                 f"{search:.1f} vs {listing:.1f} ms ({search / listing:.2f}×)",
                 search <= RATIO_TARGET * listing))  # fmt: skip
    return rows


def markdown(result):
    by_size = result["sizes"]
    sizes = sorted(by_size, key=int)
    lines = [
        "## Measured quality and speed",
        "",
        f"Measured with `make search-bench` on {result['machine']} (commit {result['commit']}).",
        "The corpus: the demo, the search corpus (`benchmarks/search_corpus.py`) and the bulk "
        "archive (`benchmarks/archive.py`) up to each size (Japanese articles; half also in "
        "English), indexed with `update_index`. Every request goes through the public v2 API "
        "in process (Django's test client), `?type=prism_news.ArticlePage&locale=…&limit=10`, "
        "with `&search=…` for a search; the listing keeps its total count cached, as in "
        "production, and no response cache.",
        "",
        "### Quality",
        "",
        f"The relevance set (`benchmarks/search_relevance.json`): {result['queries']['ja']} "
        f"Japanese and {result['queries']['en']} English queries.",
        "",
        "| articles | language | recall@10 | MRR | queries not perfect |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        for language in ("ja", "en"):
            row = by_size[size]["quality"][language]
            missed = ", ".join(f"{m['query']}" for m in row["missed"][:8])
            more = len(row["missed"]) - 8
            missed += f" (+{more})" if more > 0 else ""
            lines.append(f"| {int(size):,} | {language} | {row['recall_at_10']:.3f} | "
                         f"{row['mrr']:.3f} | {missed or '—'} |")  # fmt: skip
    lines += [
        "",
        "### Speed",
        "",
        "Milliseconds: wall p50 / p95, and this process's CPU time p50 (the rest of the wall "
        "time is mostly PostgreSQL's). Searches and listings interleaved in random order, "
        "round by round; load is the 1-minute load average before and after (each size waits, "
        "within a bound, for it to fall below 1 before its timing starts). A search "
        "that finds fewer than ten articles has fewer cards to fill than the listing: "
        "compare the two where recall is high.",
        "",
        "| articles | request | n | p50 / p95 | CPU p50 | load | index build |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        data = by_size[size]
        load = "→".join(f"{avg[0]:.1f}" for avg in data["speed"]["load"])
        if data["speed"].get("waited_for_quiet") is not None:
            load += f" (after waiting {data['speed']['waited_for_quiet']:.0f} s)"
        index = f"{data['build']['index_seconds']:.0f} s"
        for name, case in data["speed"]["cases"].items():
            lines.append(
                f"| {int(size):,} | {name} | {case['n']} | {case['p50']:.1f} / "
                f"{case['p95']:.1f} | {case['cpu_p50']:.1f} | {load} | {index} |"
            )
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {what} | {value} | {'yes' if met else '**no**'} |"
              for what, value, met in result["targets"]]  # fmt: skip
    return "\n".join(lines) + "\n"


def describe_machine():
    from django.db import connection

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}; "
            f"{date.today().isoformat()}")  # fmt: skip


def git_commit():
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                           capture_output=True, text=True, check=False)  # fmt: skip
    return found.stdout.strip() or "unknown"


def run(record):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from benchmarks.search_corpus import build_search_corpus
    from benchmarks.search_relevance import load_queries, replace_section

    setup_test_environment()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    build_search_corpus(volume=200)
    queries = load_queries()
    result = {
        "machine": describe_machine(),
        "commit": git_commit(),
        "queries": {lang: sum(q["language"] == lang for q in queries) for lang in ("ja", "en")},
        "sizes": {},
    }
    print("search benchmark on", result["machine"], flush=True)
    client = Client()
    have = 0
    conf = {**settings.PRISM_NEWS, "RESPONSE_CACHE": False, "API_COUNT_CACHE": True}
    with override_settings(PRISM_NEWS=conf):
        for size in SIZES:
            built = build(size, have)
            have = size
            print(f"{size:,}: built in {built['build_seconds']:.0f} s, indexed in "
                  f"{built['index_seconds']:.0f} s", flush=True)  # fmt: skip
            if QUIET_FILE:
                Path(QUIET_FILE).touch()
            try:
                waited = wait_for_quiet()
                print(f"  waited {waited:.0f} s for the load average to fall to "
                      f"{os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
                found = quality(client, queries)
                timing = speed(client, queries, time.monotonic() + SECONDS)
            finally:
                if QUIET_FILE:
                    Path(QUIET_FILE).unlink(missing_ok=True)
            for language, row in found.items():
                print(f"  {language}: recall@10 {row['recall_at_10']:.3f}, MRR {row['mrr']:.3f}"
                      f" ({row['queries']} queries)", flush=True)  # fmt: skip
                for missed in row["missed"]:
                    print(f"    {missed['id']} {missed['query']!r}: recall "
                          f"{missed['recall']:.2f}, RR {missed['rr']:.2f}", flush=True)  # fmt: skip
            for name, case in timing["cases"].items():
                print(
                    f"  {name:<12} n={case['n']:<4} p50 {case['p50']:8.1f}  p95 "
                    f"{case['p95']:8.1f}  CPU p50 {case['cpu_p50']:7.1f} ms",
                    flush=True,
                )
            timing["waited_for_quiet"] = waited
            result["sizes"][str(size)] = {"build": built, "quality": found, "speed": timing}
    result["targets"] = targets(result["sizes"])
    for what, value, met in result["targets"]:
        print(f"{'met' if met else 'MISSED'}: {what}: {value}", flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print("wrote", RESULTS.relative_to(ROOT))
    if record:
        DOC.write_text(replace_section(DOC.read_text() if DOC.exists() else "", markdown(result)))
        print("wrote", DOC.relative_to(ROOT))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--record",
        action="store_true",
        help="replace the 'Measured quality and speed' section of docs/search.md",
    )
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        created = psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
                       f"CREATE DATABASE {DATABASE}")  # fmt: skip
        if created.returncode:
            raise SystemExit(f"PostgreSQL at 127.0.0.1:5432 did not answer: {created.stderr}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        drop = True
    else:
        drop = False  # the caller's database: theirs to keep
    try:
        run(args.record)
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
