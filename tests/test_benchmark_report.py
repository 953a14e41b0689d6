"""What `make bench` (benchmarks/api.py) makes of a run's numbers, on made-up numbers: the
issue's targets as met, missed or not measured, the markdown written into
docs/performance.md and how it is written. No timing here: the run itself is the benchmark."""

import pytest

from benchmarks.api import CASES, MARKER, markdown, summary, targets, write_doc


def case(p50, cpu=None):
    return {"n": 3, "p50": p50, "p95": p50 * 1.2, "cpu_p50": p50 / 2 if cpu is None else cpu}


def load(rps):
    return {"seconds": 10.0, "requests": int(rps * 10), "errors": 0, "hits": 0, "rps": rps,
            "p50": 5.0, "p95": 9.0, "server_cpu_ms": 1.0, "client_cpu_s": 0.5}  # fmt: skip


def size(listing=30.0, stock=100.0, detail=60.0, sitemap=300.0, uncached_rps=10.0, cached=1.2):
    """One size's numbers, every case present; the arguments are the ones targets read."""
    cases = {key: case(10.0) for key in CASES}
    cases |= {
        "v2 listing 10": case(listing),
        "stock listing 10": case(stock),
        "v2 detail": case(detail),
        "html article": case(detail),
        "v3 listing 10": case(20.0),
        "first listing after publish": case(listing * 1.2),
        "cached detail": case(1.2),
        "floor detail": case(1.0),
        "cached listing": case(cached),
        "floor listing": case(1.0),
        "sitemap index": case(sitemap),
        "sitemap ja": case(sitemap),
    }
    throughput = {"cached detail": load(900.0), "trivial view": load(1000.0),
                  "uncached detail": load(uncached_rps), "mix": load(50.0)}  # fmt: skip
    return {"deep": 500, "load": {"before": 0.4, "after": 1.1}, "seconds": {},
            "cases": cases, "throughput": throughput}  # fmt: skip


def by_target(rows):
    return {row["target"]: row for row in rows}


def result_of(sizes):
    return {
        "date": "2026-12-07",
        "commit": "abc1234",
        "command": "BENCH_SIZES=1000 make bench",
        "machine": "Some CPU, 2 cores",
        "config": {
            "sizes": [int(s) for s in sizes],
            "rounds": 3,
            "load_seconds": 3.0,
            "concurrency": 8,
            "workers": 5,
        },  # fmt: skip
        "sizes": sizes,
        "targets": targets(sizes),
        "plan": None,
    }


def test_a_target_about_a_size_the_run_did_not_reach_is_not_measured():
    rows = by_target(targets({"1000": size(listing=30.0, stock=100.0)}))
    at_1k = rows["uncached v2 listing (limit 10) ≤ 0.35× stock same fields at 1,000"]
    assert at_1k["status"] == "met" and "0.30×" in at_1k["measured"]
    for what in (
        "uncached v2 listing (limit 10) ≤ 0.35× stock same fields at 100,000",
        "v2 detail at 100,000 ≤ 1.3× at 1,000",  # needs both ends
        "/sitemap-ja.xml uncached ≤ 1 s at 100,000",
        "uncached detail throughput at 100,000 ≥ 3× the issue's 7 req/s",
    ):
        assert rows[what] == {"target": what, "measured": None, "status": "not measured"}
    assert {r["status"] for r in rows.values()} == {"met", "not measured"}


def test_targets_are_met_or_missed_from_the_numbers_at_their_bounds():
    sizes = {
        "1000": size(listing=36.0, stock=100.0, detail=50.0),
        "10000": size(listing=35.0, stock=100.0, detail=55.0, cached=1.4),
        "100000": size(
            listing=30.0, stock=100.0, detail=66.0, sitemap=1200.0, uncached_rps=21.0
        ),  # fmt: skip
    }
    rows = by_target(targets(sizes))
    status = {what: row["status"] for what, row in rows.items()}
    assert status["uncached v2 listing (limit 10) ≤ 0.35× stock same fields at 1,000"] == "missed"
    assert status["uncached v2 listing (limit 10) ≤ 0.35× stock same fields at 10,000"] == "met"
    assert status["v2 detail at 100,000 ≤ 1.3× at 1,000"] == "missed"  # 66 / 50 = 1.32
    assert status["v3 listing (limit 10) at 100,000 ≤ 1.3× at 1,000"] == "met"
    assert status["/sitemap.xml uncached ≤ 1 s at 100,000"] == "missed"
    assert status["uncached detail throughput at 100,000 ≥ 3× the issue's 7 req/s"] == "met"
    assert status["cached detail ≤ 1.3× the trivial view, in process, at 10,000"] == "met"
    assert status["cached listing ≤ 1.3× the trivial view, in process, at 10,000"] == "missed"
    # 1000 req/s for the floor is 1.11× the cached detail's 900: within 1.3×.
    http = "cached detail over HTTP ≥ 1/1.3 of the trivial view's requests/s at 100,000"
    assert status[http] == "met"
    assert "not measured" not in status.values()


def test_the_markdown_names_the_run_and_says_plainly_which_targets_are_missed():
    plots = ["performance-detail.png"]
    text = markdown(result_of({"1000": size(listing=50.0, stock=100.0)}), plots)
    assert "2026-12-07" in text and "`abc1234`" in text and "Some CPU, 2 cores" in text
    assert "1,000: 0.40 → 1.10" in text  # the load average before and after the size
    missed = text.split("**Targets missed in this run:**", 1)[1].split("\n\n")[1]
    assert missed.splitlines() == [
        "- uncached v2 listing (limit 10) ≤ 0.35× stock same fields at 1,000: "
        "50.0 vs 100.0 ms (0.50×)"
    ]
    assert "| prism_news v2, limit 10 | 50.0 / 60.0 (25.0) |" in text
    assert "\n![Detail against archive size](performance-detail.png)\n\n" in text
    assert text.count("| not measured |") == sum(
        1 for t in targets({"1000": size()}) if t["status"] == "not measured"
    )


def test_write_doc_keeps_the_prose_before_the_marker(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nprose\n\n{MARKER}\n\nold numbers\n")
    write_doc("new numbers\n", doc)
    assert doc.read_text() == f"# Performance\n\nprose\n\n{MARKER}\n\nnew numbers\n"
    doc.write_text("no marker\n")
    with pytest.raises(SystemExit):
        write_doc("new numbers\n", doc)
    assert doc.read_text() == "no marker\n"


def test_summary_takes_wall_median_and_95th_and_cpu_median():
    samples = [(float(ms), float(ms) / 4) for ms in range(1, 21)]
    assert summary(samples) == {"n": 20, "p50": 10.5, "p95": 19.0, "cpu_p50": 2.62}
