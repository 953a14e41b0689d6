"""The demo newsroom in a real browser: Debian's chromium driven by Playwright.

Home, section, article, search and author pages in Japanese and English, on a phone (390 px) and a
desktop (1280 px): no horizontal scrolling, readable contrast, visible keyboard
focus, a language switcher that lands on the translated article, JSON-LD that
parses, nothing refused by the site's Content-Security-Policy.
``UPDATE_SCREENSHOTS=1`` also rewrites the screenshots in docs/screenshots/.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from . import csp_watch

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ARTICLE = "politics/pax-silica-eurasia/"
PAGES = {
    "home": {"ja": "/", "en": "/en/"},
    "category": {"ja": "/politics/", "en": "/en/politics/"},
    "article": {"ja": f"/{ARTICLE}", "en": f"/en/{ARTICLE}"},
    # A word each language's demo stories hold ("AI" among the Japanese ones).
    "search": {"ja": "/search/?q=AI", "en": "/en/search/?q=Kazakhstan"},
    # The demo's author (example_site/home/demo/content.py).
    "author": {"ja": "/authors/mari-saeki/", "en": "/en/authors/mari-saeki/"},
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run does it)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The contrast of text against what is painted behind it (tests/contrast.js).
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
TEXT = [
    "body",
    ".prism-brand__name",
    ".prism-languages a",
    ".prism-languages__current",
    ".prism-sections a",
    ".prism-section-heading",
    ".prism-article__category",
    ".prism-card__category",
    ".prism-card__language",
    ".prism-badge",
    ".prism-article__lede",
    ".prism-article__dates",
    ".prism-hero figcaption",
    ".prism-source__label",
    ".prism-source__title",
    ".prism-source__date",
    ".prism-provenance",
    ".prism-byline__label",
    ".prism-disclaimer",
    ".prism-disclaimer a",
    ".prism-card__summary",
    ".prism-card__footer",
    ".prism-footer h2",
    ".prism-footer a",
    ".prism-footer__legal",
    ".prism-search-form__label",
    ".prism-search-form__input",
    ".prism-search-form__button",
    ".prism-search-count",
    ".prism-card__snippet mark",
]


@pytest.fixture
def newsroom_server(settings, prism_settings):
    """The demo newsroom served on 127.0.0.1 by a live server thread."""
    from pytest_django.live_server_helper import LiveServer

    prism_settings(REQUIRE_AI_REVIEW=True)  # as the example site runs
    settings.ROOT_URLCONF = "tests.browser_urls"
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    server = LiveServer("127.0.0.1")
    yield server.url
    server.stop()


def save_screenshot(page, name):
    """A viewport-sized PNG for the docs, kept small for the repository."""
    png = page.screenshot()
    assert len(png) <= 300_000, f"{name}: {len(png)} bytes"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(png)


def check_layout(page, device, kind, language):
    where = f"{kind} {language} {device}"
    assert page.evaluate("document.documentElement.lang") == language, where
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where}: {overflow}px of horizontal scrolling"
    # The skip link shows only while focused.
    skip = page.locator(".prism-skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0, where
    low = [(s, r) for s, r in page.evaluate(CONTRAST, TEXT) if r < 4.5]
    assert low == [], f"{where}: contrast below WCAG AA"


def check_article(page, device, language):
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.locator("h1").inner_text().replace("\n", "")
    assert data["inLanguage"] == language
    hero = page.locator(".prism-hero img").bounding_box()
    assert 0 < hero["width"] <= VIEWPORTS[device]["width"]
    if device == "phone":  # the hero leaves room for the story
        assert hero["height"] <= 0.4 * VIEWPORTS[device]["height"], hero


def check_search(page):
    """Results with a highlighted snippet, and the field labelled and filled in."""
    assert page.locator(".prism-search-results .prism-card").count() > 0
    assert page.locator(".prism-card__snippet mark").count() > 0
    field = page.get_by_role(
        "searchbox",
        name=page.locator("#prism-search-query").evaluate("field => field.labels[0].textContent"),
    )
    assert field.count() == 1 and field.input_value() != ""


def test_demo_pages_in_a_real_browser(newsroom_server):
    from playwright.sync_api import sync_playwright

    update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, device_scale_factor=1)
                csp_watch.watch(context)
                page = context.new_page()
                for kind, paths in PAGES.items():
                    for language, path in paths.items():
                        page.goto(newsroom_server + path, wait_until="load")
                        csp_watch.assert_none(context, f"{kind} {language} {device}", page)
                        check_layout(page, device, kind, language)
                        if kind == "article":
                            check_article(page, device, language)
                        if kind == "search":
                            check_search(page)
                        if update:
                            save_screenshot(page, f"{kind}-{language}-{device}")
                context.close()
        finally:
            browser.close()


def test_language_switcher_and_keyboard_focus(newsroom_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport=VIEWPORTS["phone"])
            page.goto(newsroom_server + PAGES["article"]["ja"])
            page.click(".prism-languages a[hreflang=en]")
            page.wait_for_load_state()
            assert page.url == newsroom_server + PAGES["article"]["en"]
            assert page.locator("h1").inner_text().startswith("Between 'Pax Silica'")
            page.click(".prism-languages a[hreflang=ja]")
            page.wait_for_load_state()
            assert page.url == newsroom_server + PAGES["article"]["ja"]

            page.keyboard.press("Tab")
            focused = page.evaluate(
                "[document.activeElement.className,"
                " getComputedStyle(document.activeElement).outlineStyle]"
            )
            assert focused[0] == "prism-skip-link" and focused[1] != "none"
            assert page.locator(".prism-skip-link").bounding_box()["y"] >= 0
            page.keyboard.press("Tab")
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none"  # the next link (the masthead) shows focus too

            # The masthead's search form, by its label, leads to the search page.
            field = page.get_by_role("searchbox", name="記事を検索")
            field.fill("Kazakhstan")
            field.press("Enter")
            page.wait_for_url(newsroom_server + "/search/?q=Kazakhstan")
            assert page.locator("#prism-search-query").input_value() == "Kazakhstan"
        finally:
            browser.close()
