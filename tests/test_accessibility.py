"""The reader pages in Debian's chromium, checked by axe-core (from npm: package.json,
installed into node_modules/ by ``make install-test``): no violation on the home, section,
article, search and author pages, in Japanese and English, on a phone (390 px) and a desktop
(1280 px); no console error (a missing icon was one); no hole in the row of related
articles. Without axe-core or the browser the test skips and says what is missing.
"""

from pathlib import Path

import pytest

from .test_browser import CHROMIUM, PAGES, VIEWPORTS, newsroom_server  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NOT_INSTALLED = "is not installed: `make install-test` runs `npm ci` (package.json)"
# The pages and sizes are the browser test's (PAGES, VIEWPORTS), author pages among them.
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def console_errors(errors):
    def collect(message):
        if message.type == "error":
            errors.append(message.text)

    return collect


def axe_violations(page):
    """axe-core's violations on the page, one line each with the elements it names."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results["violations"]
    ]


def related_row_hole(page):
    """Pixels between the right edge of the related articles' first row and their grid's."""
    return page.evaluate(
        """() => {
            const grid = document.querySelector('.prism-related .prism-grid');
            if (!grid) return null;
            const cards = [...grid.children].map((card) => card.getBoundingClientRect());
            const top = cards[0].top;
            const right = Math.max(...cards.filter((c) => c.top === top).map((c) => c.right));
            return grid.getBoundingClientRect().right - right;
        }"""
    )


@pytest.mark.slow
@pytest.mark.skipif(not AXE.exists(), reason=f"axe-core {NOT_INSTALLED}")
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_axe_finds_no_violation(newsroom_server):  # noqa: F811 (the imported fixture)
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            for device, viewport in VIEWPORTS.items():
                # The site's policy refuses inline scripts, axe-core's among them.
                context = browser.new_context(
                    viewport=viewport, device_scale_factor=1, bypass_csp=True
                )
                page = context.new_page()
                errors = []
                page.on("console", console_errors(errors))
                for kind, paths in PAGES.items():
                    for language, path in paths.items():
                        where = f"{kind} {language} {device}"
                        page.goto(newsroom_server + path, wait_until="networkidle")
                        found += [f"{where}: {v}" for v in axe_violations(page)]
                        found += [f"{where}: console: {e}" for e in errors]
                        errors.clear()
                        if kind == "article":
                            hole = related_row_hole(page)
                            assert hole is not None, f"{where}: no related articles"
                            if hole > 1:
                                found.append(f"{where}: {hole:.0f} px hole in related cards")
                context.close()
        finally:
            browser.close()
    assert found == [], "\n".join(found)
