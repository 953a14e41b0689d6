"""A guest in the host's site: the host's models and pages behave as without prism_news.

Signal handlers run only for prism_news's models (and for Wagtail's where a prism
page changes through them); the serving rules and the page link handler cover
prism_news's pages and rich text unless a setting extends them.
"""

import datetime
from contextlib import contextmanager

import pytest
import wagtail.rich_text as rich_text
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.feature_registry import FeatureRegistry
from wagtail.rich_text.pages import PageLinkHandler

from home.models import HomePage
from prism_news import signal_handlers
from prism_news.caching import signals as caching_signals
from prism_news.page_serving import VisiblePageLinkHandler

from .factories import ArticlePageFactory


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def invalidated(monkeypatch):
    """Every tag prism_news's cache handlers invalidate."""
    tags = []
    monkeypatch.setattr(caching_signals, "invalidate", tags.extend)
    return tags


@contextmanager
def without_prism_handlers():
    signal_handlers.unregister_signal_handlers()
    try:
        yield
    finally:
        signal_handlers.register_signal_handlers()


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def host_page(parent, slug, **values):
    """A page of the host's own type, below the site's home (not a home itself)."""
    return parent.add_child(instance=HomePage(title=slug.title(), slug=slug, **values))


HOST_ACTIONS = {
    "publish": lambda page: page.save_revision().publish(),
    "unpublish": lambda page: page.unpublish(),
    "save": lambda page: page.save(),
    "save as a generic Page": lambda page: Page.objects.get(pk=page.pk).save(),
    "move": lambda page: page.move(page.get_parent(), pos="last-child"),
    "delete": lambda page: page.delete(),
}


@pytest.mark.parametrize("action", HOST_ACTIONS)
def test_the_hosts_pages_run_none_of_prism_news_handlers(home, category, invalidated, action):
    do = HOST_ACTIONS[action]
    warm, with_prism, without = (host_page(home, slug) for slug in ("warm", "one", "two"))
    do(warm)  # caches (content types, site roots) warm for both counts
    invalidated.clear()
    counted = queries(lambda: do(with_prism))
    assert invalidated == []
    with without_prism_handlers():
        assert queries(lambda: do(without)) == counted


def test_the_hosts_models_run_none_of_prism_news_handlers(db, invalidated):
    with_prism, without = Group(name="one"), Group(name="two")
    Group.objects.create(name="warm").delete()
    counted = queries(lambda: (with_prism.save(), with_prism.delete()))
    with without_prism_handlers():
        assert queries(lambda: (without.save(), without.delete())) == counted
    assert invalidated == []


def test_no_handler_without_a_sender(db):
    for _signal, _handler, model, uid in signal_handlers.CONNECTIONS:
        assert model is not None
        assert uid.startswith("prism_news.")
    assert signal_handlers.CONNECTIONS


def test_a_homes_publication_changes_the_masthead(home, invalidated):
    # The one host page prism_news's pages show: the site's home (docs/caching.md).
    home.save_revision().publish()
    assert "nav" in invalidated


def test_a_prism_article_still_invalidates_and_is_gated(category, invalidated):
    article = ArticlePageFactory(parent=category)
    invalidated.clear()
    article.save_revision().publish()
    assert f"page:{article.pk}" in invalidated
    assert "members" in invalidated


# --- Serving


def test_an_expired_host_page_is_served_as_wagtail_serves_it(client, home, category):
    page = host_page(home, "old-host-page", expire_at=ago(minutes=1))
    page.refresh_from_db()
    assert page.live  # publish_scheduled has not run
    assert client.get(page.url).status_code == 200
    article = ArticlePageFactory(parent=category, expire_at=ago(minutes=1))
    assert client.get(article.url).status_code == 404


def test_the_setting_serves_every_page_under_the_rule(client, home, prism_settings):
    prism_settings(SERVE_RULES_FOR_ALL_PAGES=True)
    page = host_page(home, "old-host-page", expire_at=ago(minutes=1))
    assert client.get(page.url).status_code == 404


# --- Rich text


@pytest.fixture
def fresh_features(monkeypatch):
    """Wagtail's rich-text feature registry built anew (the hooks asked again)."""
    monkeypatch.setattr(rich_text, "features", FeatureRegistry())
    rich_text.get_rewriter.cache_clear()
    yield
    rich_text.get_rewriter.cache_clear()


def link(page):
    return f'<p><a linktype="page" id="{page.pk}">draft</a></p>'


def test_host_rich_text_keeps_wagtails_page_links(category, fresh_features):
    draft = ArticlePageFactory(parent=category, slug="draft-only", live=False)
    assert rich_text.features.get_link_types()["page"] is PageLinkHandler
    wagtails = PageLinkHandler.expand_db_attributes({"id": str(draft.pk)})
    assert expand_db_html(link(draft)) == f"<p>{wagtails}draft</a></p>"
    assert "draft-only" in wagtails


def test_prism_rich_text_never_links_to_a_draft(category, fresh_features):
    draft = ArticlePageFactory(parent=category, slug="draft-only", live=False)
    article = ArticlePageFactory(parent=category, body=[("paragraph", link(draft))])
    paragraph = article.body[0]
    assert "<a>draft</a>" in str(paragraph)
    assert "<a>draft</a>" in paragraph.render()
    api = paragraph.block.get_api_representation(paragraph.value)
    assert api == "<p><a>draft</a></p>"
    assert "draft-only" not in str(paragraph) + api


def test_the_setting_replaces_the_page_link_handler_everywhere(
    category, prism_settings, fresh_features
):
    prism_settings(REPLACE_PAGE_LINK_HANDLER=True)
    draft = ArticlePageFactory(parent=category, slug="draft-only", live=False)
    assert rich_text.features.get_link_types()["page"] is VisiblePageLinkHandler
    assert expand_db_html(link(draft)) == "<p><a>draft</a></p>"
