"""Headless preview in a real browser: the editor changes an article's title without
saving, opens Preview, and the example site's preview client shows the draft.

The admin's preview panel shows wagtail-headless-preview's page, which frames the
front end's preview URL (here the demo client at /preview/), which fetches the
draft from /api/v2/page_preview/ with the token in its URL.
"""

import re

import pytest
from wagtail.users.models import UserProfile

from prism_news.models import ArticlePage

from .factories import ArticlePageFactory
from .test_browser_review import browser, log_in, pytestmark, shot  # noqa: F401  (fixtures)


@pytest.fixture
def article(transactional_db, home, category, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "e@x.test", "pw-editor")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    return ArticlePageFactory(
        parent=category,
        title="Published title",
        slug="preview-me",
        summary="The published summary.",
        body=[("paragraph", "<p>The published paragraph.</p>")],
    )


def test_preview_shows_the_unsaved_draft_in_the_front_end(browser, live_server, article):  # noqa: F811
    from playwright.sync_api import expect

    page = log_in(browser, live_server, "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    page.fill("#id_title", "Draft title, not saved")
    page.fill("#id_summary", "A summary only the preview shows.")
    page.locator('button[data-side-panel-toggle="preview"]').click()

    client = page.frame_locator("#w-preview-iframe").frame_locator("iframe")
    expect(client.locator("h1")).to_have_text("Draft title, not saved", timeout=20_000)
    expect(client.locator(".summary")).to_have_text("A summary only the preview shows.")
    expect(client.locator("article")).to_contain_text("The published paragraph.")
    shot(page, "preview-1-panel")

    # The client is the front end's URL, with the token, for this page's language.
    inner = page.frame_locator("#w-preview-iframe").locator("iframe")
    src = inner.get_attribute("src")
    assert re.match(r"^/preview/\?content_type=prism_news\.articlepage&token=id%3D\d+", src)

    # Nothing was saved or published: readers and the public API see the old title.
    assert ArticlePage.objects.get(pk=article.pk).title == "Published title"
    api = page.context.request.get(f"{live_server.url}/api/v2/pages/{article.pk}/")
    assert api.json()["title"] == "Published title"
    preview_api = page.context.request.get(f"{live_server.url}/api/v2/page_preview/?{src[10:]}")
    assert preview_api.status == 200 and preview_api.json()["title"] == "Draft title, not saved"
    assert preview_api.headers["cache-control"] == "private, no-store"
