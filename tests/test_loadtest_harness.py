"""The load run's arithmetic (benchmarks/loadtest.py), on made-up answers and commits: what
counts as stale, a 5xx, another error, which phase a request falls in, the percentiles, and
the block it writes into docs/operations.md. The run itself (servers, Redis stopped) is
``make loadtest``; these are the parts whose mistakes would make it report the wrong thing."""

import pytest

from benchmarks.loadtest import (
    Answer,
    Staleness,
    is_other_error,
    markdown,
    parse_counter,
    percentile,
    summarise,
    write_record,
)

# Counter 0 committed at t=100, 1 at 102, 2 at 104 (wall-clock seconds).
COMMITS = {0: 100.0, 1: 102.0, 2: 104.0}


def answer(counter, started, kind="article", status=200, latency=0.01, **more):
    return Answer(kind, started, latency, status, counter, **more)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile(values, 0.0) == 1
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([7], 0.99) == 7
    assert percentile([], 0.5) is None


def test_the_counter_is_read_from_html_json_and_feeds():
    assert parse_counter("<h1>[lt-12] 半導体の新同盟</h1>") == 12
    assert parse_counter('{"title": "[lt-3] Pax Silica"}') == 3
    # A listing that shows the title twice, once from an older answer: the older counts.
    assert parse_counter("<li>[lt-9] a</li><li>[lt-10] a</li>") == 9
    assert parse_counter("<title>Prism News</title>") is None
    assert parse_counter("[lt-] [lt-x]") is None


@pytest.mark.parametrize(
    ("shown", "started", "stale"),
    [
        (1, 103.9, False),  # asked before counter 2 was committed
        (1, 105.9, False),  # counter 2 committed 1.9 s before the request: within the bound
        (1, 106.0, False),  # exactly the bound
        (1, 106.1, True),  # 2.1 s after counter 2 was committed
        (0, 103.5, False),  # counter 1 committed 1.5 s before
        (0, 104.5, True),  # counter 1 committed 2.5 s before (counter 2 even later)
        (2, 500.0, False),  # the newest: never out of date
        (None, 500.0, False),  # an answer without the title cannot be judged
    ],
)
def test_an_answer_is_stale_when_asked_for_more_than_the_bound_after_a_newer_commit(
    shown, started, stale
):
    assert Staleness(COMMITS).is_stale(answer(shown, started)) is stale


def test_out_of_date_is_measured_from_the_first_newer_commit():
    staleness = Staleness(COMMITS)
    assert staleness.out_of_date_for(answer(0, 110.0)) == pytest.approx(8.0)  # from counter 1
    assert staleness.out_of_date_for(answer(1, 110.0)) == pytest.approx(6.0)  # from counter 2
    assert staleness.out_of_date_for(answer(2, 110.0)) == 0.0
    # Commit times out of order (counter 2 committed before 1): the earliest newer one counts.
    skewed = Staleness({0: 100.0, 1: 105.0, 2: 103.0})
    assert skewed.out_of_date_for(answer(0, 105.5)) == pytest.approx(2.5)
    assert skewed.is_stale(answer(0, 105.5))
    assert Staleness(COMMITS, bound=10).is_stale(answer(0, 110.0)) is False


def test_a_counter_that_was_never_committed_is_reported():
    staleness = Staleness({0: 100.0, 2: 104.0})  # counter 1's publish rolled back
    assert staleness.uncommitted(answer(1, 103.0))
    assert not staleness.uncommitted(answer(2, 103.0))
    assert not staleness.uncommitted(answer(None, 103.0))


def test_what_counts_as_another_error():
    assert is_other_error(answer(None, 100.0, status=None, error="ConnectionRefusedError"))
    assert is_other_error(answer(None, 100.0, kind="home", status=404))
    assert is_other_error(answer(None, 100.0, kind="home", status=302))
    # The article and its detail must show the title; a listing need not.
    assert is_other_error(answer(None, 100.0, kind="article"))
    assert is_other_error(answer(None, 100.0, kind="v2 detail"))
    assert not is_other_error(answer(None, 100.0, kind="v2 listing"))
    assert not is_other_error(answer(None, 100.0, status=500))  # a 5xx, counted as such
    assert not is_other_error(answer(2, 100.0))


def run_answers():
    """Readers from t=100 to t=112; Redis down from 104 to 106."""
    return [
        answer(0, 100.5, latency=0.010, hit=True),
        answer(0, 101.0, kind="home", latency=0.020),
        answer(None, 104.2, status=500, latency=0.002),
        answer(None, 105.9, kind="v2 detail", status=503, latency=0.003),
        answer(None, 106.4, kind="home", status=500, latency=0.004),
        answer(1, 106.5, kind="v2 detail", latency=0.050),  # stale: counter 2 since 104
        answer(None, 107.0, kind="home", status=None, latency=10.0, error="TimeoutError"),
        answer(2, 108.0, latency=0.030, hit=True),
    ]


def test_the_summary_counts_totals_kinds_and_phases():
    summary = summarise(run_answers(), COMMITS, outage=(104.0, 106.0), started=100.0, step=5)
    total = summary["total"]
    assert (total["requests"], total["5xx"], total["other_errors"]) == (8, 3, 1)
    assert (total["stale"], total["cache_hits"], total["uncommitted_shown"]) == (1, 2, 0)
    assert total["worst_out_of_date_s"] == pytest.approx(2.5)
    # Latency over the requests that got an answer (the timeout is not one).
    assert total["p50_ms"] == 10.0 and total["max_ms"] == 50.0
    assert summary["kinds"]["v2 detail"]["5xx"] == 1 and summary["kinds"]["v2 detail"]["stale"] == 1
    assert summary["kinds"]["home"]["other_errors"] == 1
    phases = summary["phases"]
    assert [p["requests"] for p in phases.values()] == [2, 2, 4]
    assert [p["5xx"] for p in phases.values()] == [0, 2, 1]
    assert (summary["first_5xx_s"], summary["last_5xx_s"]) == (4.2, 6.4)
    assert summary["last_5xx_after_redis_back_s"] == pytest.approx(0.4)
    assert [(t["from_s"], t["requests"]) for t in summary["timeline"]] == [(0, 3), (5, 5)]


def test_redis_that_never_came_back_puts_everything_after_the_stop_in_the_outage():
    summary = summarise(run_answers(), COMMITS, outage=(104.0, None), started=100.0)
    assert [p["requests"] for p in summary["phases"].values()] == [2, 6, 0]
    assert summary["last_5xx_after_redis_back_s"] is None


def a_result():
    summary = summarise(run_answers(), COMMITS, outage=(104.0, 106.0), started=100.0)
    return {
        "date": "2026-12-06",
        "commit": "abc1234",
        "command": "make loadtest",
        "config": {
            "readers": 16,
            "duration": 60.0,
            "publish_every": 2.0,
            "redis_fault": "restart",
            "redis_down_at": 25.0,
            "redis_down_for": 10.0,
            "settle": 3.0,
        },
        "machine": {"description": "Test CPU, 2 cores", "load": {"before": [1.5], "after": [2.5]}},
        "summary": summary,
        "editor": {
            "publishes": 3,
            "committed": 3,
            "raised": 1,
            "errors": ["ConnectionError: x"],
            "p50_ms": 80.0,
        },  # fmt: skip
        "processes": {
            "gunicorn worker 1": {"rss_before_mib": 120.0, "rss_after_mib": 125.5, "cpu_s": 4.0}
        },  # fmt: skip
        "final": {"shown": [2, 2], "last_committed": 2, "current": True},
        "logs": {
            "gunicorn": {"tracebacks": 2, "exceptions": [{"line": "ValueError: y", "count": 2}]}
        },  # fmt: skip
        "workers_restarted": False,
    }


def test_the_markdown_shows_the_numbers():
    text = markdown(a_result())
    assert "| **all** | 8 | 3 | 1 | 1 | 2.5 s | 2 |" in text
    assert "| Redis down | 2 | 2 |" in text
    assert "| gunicorn worker 1 | 120.0 | 125.5 | 4.0 |" in text
    assert "1 raised an error to the editor (ConnectionError: x)" in text
    assert "load average (1 min) 1.50 before, 2.50 after" in text
    assert "shut down and started again with its data for 10 s from 25 s" in text
    assert "the last 0.4 s after Redis was back" in text
    assert "counters [2, 2], the last committed is 2 (current)" in text
    assert "2 × `ValueError: y`" in text


def test_a_record_replaces_its_own_block_only(tmp_path):
    doc = tmp_path / "operations.md"
    doc.write_text(
        "# Operations\n<!-- loadtest:before -->\nold\n<!-- /loadtest:before -->\n"
        "<!-- loadtest:after -->\nkept\n<!-- /loadtest:after -->\n## Next\n"
    )
    write_record("new table\n", "before", doc)
    text = doc.read_text()
    assert "old" not in text and "new table" in text and "kept" in text
    assert text.startswith("# Operations\n") and text.endswith("## Next\n")
    write_record("newer\n", "before", doc)
    assert "new table" not in doc.read_text() and doc.read_text().count("loadtest:before") == 2
    with pytest.raises(SystemExit):
        write_record("x", "missing", doc)
