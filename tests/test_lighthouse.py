"""Lighthouse (from npm: package.json, installed into node_modules/ by ``make install-test``)
on the demo's home and article pages, in Japanese and English: at least 98 in each of
performance, accessibility, best practices and SEO (issue 22). When a category falls below,
the test names the audits that cost it points.

Lighthouse drives Debian's chromium against the live server on 127.0.0.1 only, with
chromium's background networking off and Lighthouse's error reporting off.

The runs use Lighthouse's desktop preset with simulated throttling (Lighthouse's default
method): Lighthouse loads the page unthrottled, then computes the metrics a 40 ms, 10 Mbit/s
connection would give from the recorded network and CPU activity. The mobile preset also
multiplies every recorded CPU task by four, so on a loaded two-core CI machine its
performance score moved between 90 and 100 from one run to the next; the desktop preset
keeps the CPU as recorded and scored 99-100 under the same load (the figures are in
docs/development.md). Without Lighthouse or the browser the test skips and says what is
missing.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from .test_browser import CHROMIUM, PAGES, newsroom_server  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.98
# One run takes 15-40 s on a loaded two-core machine; a hung browser fails the test instead
# of holding the suite.
RUN_TIMEOUT = 180
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
AUDITED = {
    f"{kind} {language}": PAGES[kind][language]
    for kind in ("home", "article")
    for language in ("ja", "en")
}


def lighthouse_report(url):
    """Lighthouse's JSON report (LHR) for ``url``."""
    # Lighthouse's chromium profile and the report go to a temp dir of their own, removed
    # afterwards; its path stays short, as chromium's socket path must (pytest's tmp_path
    # is too long for it).
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as output_dir:
        report = Path(output_dir) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--preset=desktop",
            "--throttling-method=simulate",
            f"--chrome-flags={CHROME_FLAGS}",
            "--no-enable-error-reporting",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": output_dir}
        finished = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
        )
        assert finished.returncode == 0, f"lighthouse {url}: {finished.stderr[-2000:]}"
        return json.loads(report.read_text())


def keep_report(report, name):
    """``LIGHTHOUSE_REPORTS=dir`` keeps each report, to open in Lighthouse's viewer."""
    if keep := os.environ.get("LIGHTHOUSE_REPORTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"{name.replace(' ', '-')}.json").write_text(json.dumps(report))


def scores(report):
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def percent(score):
    """A category's score as Lighthouse shows it; None when the category could not run."""
    return "error" if score is None else f"{score * 100:.0f}"


def costly_audits(report, category):
    """The category's weighted audits that did not score full marks, one line each."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"    {ref['id']}: {audit['score']:.2f}{shown} {audit['title']}")
    return lines


def lcp_image_problems(report):
    """What delays the largest image: found late, loaded lazily, no ``fetchpriority``;
    and images without ``width`` and ``height``, which move the page as they arrive.

    The desktop scores hardly notice a lazy hero on a fast simulated connection, so the
    test reads Lighthouse's checklist for it rather than waiting for the score to drop.
    """
    audit = report["audits"]["lcp-discovery-insight"]
    problems = []
    if audit["scoreDisplayMode"] != "notApplicable":  # the largest element is text
        checklist = next(i for i in audit["details"]["items"] if i["type"] == "checklist")
        problems += [
            f"    LCP image, check failed: {c['label']}"
            for c in checklist["items"].values()
            if not c["value"]
        ]
    unsized = report["audits"]["unsized-images"]
    if unsized["score"] is not None and unsized["score"] < 1:
        problems += [f"    no width and height: {i['url']}" for i in unsized["details"]["items"]]
    return problems


@pytest.mark.slow
@pytest.mark.skipif(
    not LIGHTHOUSE.exists(),
    reason="Lighthouse is not installed: `make install-test` runs `npm ci` (package.json)",
)
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lighthouse_scores(newsroom_server):  # noqa: F811 (the imported fixture)
    failures = []
    for name, path in AUDITED.items():
        report = lighthouse_report(newsroom_server + path)
        keep_report(report, name)
        got = scores(report)
        print(f"{name}: " + ", ".join(f"{c} {percent(s)}" for c, s in got.items()))
        for category, score in got.items():
            if score is None or score < MINIMUM:
                failures.append(f"{name} {path}: {category} {score}")
                failures += costly_audits(report, category)
        if problems := lcp_image_problems(report):
            failures += [f"{name} {path}: images", *problems]
    assert not failures, "\n".join(failures)
