"""Headless preview in a real browser: the editor changes an article's title without
saving, opens Preview, and the example site's preview client shows the draft.

The admin's preview panel shows wagtail-headless-preview's page, which frames the
front end's preview URL (here the demo client at /preview/), which fetches the
draft from /api/v2/page_preview/ with the token in its URL. Nothing in any of the three
documents is refused by their Content-Security-Policy.
"""

import re

import pytest
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from prism_news.models import ArticlePage

from . import csp_watch
from .factories import ArticlePageFactory, CategoryIndexPageFactory
from .test_browser_review import browser, log_in, pytestmark, shot  # noqa: F401  (fixtures)


@pytest.fixture
def home_page(transactional_db):
    """The default site's home page. A transactional test that ran before this one
    (the other browser test) leaves the database flushed, without the site, locale
    and root page that Wagtail's migrations made: make them again if so."""
    ja, _ = Locale.objects.get_or_create(language_code="ja")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=ja)
        )
        home = root.add_child(instance=Page(title="Home", slug="home", locale=ja))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return site.root_page


@pytest.fixture
def article(home_page, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "e@x.test", "pw-editor")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    category = CategoryIndexPageFactory(parent=home_page, title="Politics", slug="politics")
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
    csp_watch.assert_none(page.context, "page editor with the preview panel", page)

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
