"""Publish on a new article at any moment of Wagtail 8's autosave, in a real browser.

Autosave's first request creates the page and moves the form to its edit URL. Publish
pressed after it, or while it is in flight (held here with ``page.route`` until the
button is pressed), publishes an article without AI involvement, and leaves AI content
a draft with a message saying why. Without ``publish_after_autosave.js`` the button
pressed during the request posts the create form again: the slug is taken, nothing is
published.
"""

import pytest

from prism_news.models import ArticlePage

from . import test_browser_review as review
from .csp_watch import assert_none, wait_until
from .test_browser_review import log_in, message_texts, shot

# The editor browser tests' marks, browser and newsroom (users, review workflow).
pytestmark = review.pytestmark
browser = review.browser
newsroom_setup = review.newsroom_setup

# Wagtail's "unsaved changes" controller starts watching two seconds after it connects
# (the editor connects it twice); autosave answers with w-autosave:success.
WATCH = """
    window.prismWatching = 0; window.prismReady = 0; window.prismAutosaved = 0;
    document.addEventListener('w-unsaved:ready', () => { window.prismReady += 1; });
    document.addEventListener('w-unsaved:watch-edits', () => { window.prismWatching += 1; });
    document.addEventListener('w-autosave:success', () => { window.prismAutosaved += 1; });
"""
WATCHING = "window.prismReady > 0 && window.prismWatching >= window.prismReady"
# What the server answers an autosave of a form with errors.
INCOMPLETE = {
    "success": False,
    "error_code": "validation_error",
    "error_message": "There are validation errors, click save to highlight them.",
}
MENU = "footer [data-w-dropdown-target=toggle], footer .w-dropdown__toggle"


def new_article(page, live_server, category, slug, involvement):
    """Open "add article" and type one in, as an editor would, once the editor watches."""
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/admin/pages/add/prism_news/articlepage/{category.pk}/")
    wait_until(page, WATCHING)
    page.fill("#id_title", f"Autosave {involvement}")
    page.fill("#id_summary", "A summary.")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("The body.")
    # A new article has no involvement until the editor picks one (autosave waits for it).
    page.get_by_role("tab", name="AI & sources").click()
    page.select_option("#id_ai_involvement", involvement)
    if involvement != "none":
        page.get_by_role("button", name="Add source").click()
        page.fill("#id_sources-0-title", "A report")
        page.fill("#id_sources-0-publisher", "Reuters")
        page.fill("#id_sources-0-url", "https://example.com/report")
    page.get_by_role("tab", name="Promote").click()
    page.fill("#id_slug", slug)


def press_publish(page):
    page.locator(MENU).first.click()
    page.get_by_role("button", name="Publish").click()


def assert_published_or_explained(page, involvement):
    shot(page, f"autosave-publish-{involvement}")
    assert_none(page.context, f"the editor through autosave and publish ({involvement})", page)
    article = ArticlePage.objects.get()  # one page: autosave's
    if involvement == "none":
        assert article.live
        assert "has been published" in message_texts(page)
    else:
        assert not article.live and article.live_revision_id is None
        assert "was not published" in message_texts(page)
        assert "human review" in message_texts(page)
        assert article.sources.count() == 1


@pytest.mark.parametrize("involvement", ["none", "analysis"])
def test_publish_right_after_autosave(browser, live_server, newsroom_setup, involvement):
    page = log_in(browser, live_server, "editor", "pw-editor")
    new_article(page, live_server, newsroom_setup["category"], "after", involvement)
    wait_until(page, "window.prismAutosaved > 0")
    assert f"/admin/pages/{ArticlePage.objects.get().pk}/edit/" in page.url  # the edit view now
    with page.expect_event("load"):  # a new document (autosave's replaceState is none)
        press_publish(page)
    assert_published_or_explained(page, involvement)


@pytest.mark.parametrize("involvement", ["none", "analysis"])
def test_publish_while_autosave_is_in_flight(browser, live_server, newsroom_setup, involvement):
    page = log_in(browser, live_server, "editor", "pw-editor")
    held = []
    whole = "in-flight-whole"  # the slug of the last edit: in the form data once all is typed

    def hold_autosave(route):
        if route.request.method != "POST" or "json" not in route.request.headers.get("accept", ""):
            route.continue_()
        elif whole not in (route.request.post_data or ""):
            # Autosave takes the form's data at each edit and posts it half a second later,
            # so on a slow machine it posts a half-typed form, even after the typing is done.
            # The server would refuse most of those (or create the page too early for this
            # test); answer as it does for an invalid form. Only the whole form is held.
            route.fulfill(status=400, json=INCOMPLETE)
        else:
            held.append(route)
            page.evaluate("window.prismAutosaveHeld = true")

    page.route("**/admin/pages/add/**", hold_autosave)
    new_article(page, live_server, newsroom_setup["category"], "in-flight", involvement)
    page.fill("#id_slug", whole)  # an edit of the whole form: autosave's request
    wait_until(page, "window.prismAutosaveHeld === true")
    [route] = held
    response = route.fetch()  # the server has created the draft; the browser does not know
    assert response.status == 200, response.text()
    assert not ArticlePage.objects.get().live

    press_publish(page)
    with page.expect_event("load"):  # the held Publish, sent once autosave has answered
        route.fulfill(response=response)
    assert_published_or_explained(page, involvement)
