"""A page change in Wagtail's admin commits whole or not at all
(``prism_news.admin_transactions.AtomicPageAdminMiddleware``, in the example site's
``MIDDLEWARE``).

The fault: a handler of ``page_published`` that fails, as a busy database, a lost
connection or a bug would, after Wagtail has written the page row, the revision and
part of the publication. Without the middleware, the page row of a live page (its new
title, for readers) and the revision stay, with no live revision or log entry for them.
"""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from wagtail.models import PageLogEntry, Revision
from wagtail.signals import page_published
from wagtail.test.utils.form_data import rich_text, streamfield

from prism_news.admin_transactions import wraps_in_a_transaction
from prism_news.models import ArticlePage

from .admin_forms import create_form_data, edit_form_data
from .factories import ArticlePageFactory

BODY = streamfield([("paragraph", rich_text("<p>The body.</p>"))])


class Failure(Exception):
    pass


def fail(**kwargs):
    raise Failure("the publication failed halfway")


@pytest.fixture
def fail_publications():
    """Call it to make every publication fail from then on (in this test)."""
    yield lambda: page_published.connect(fail, dispatch_uid="test-failing-publication")
    page_published.disconnect(dispatch_uid="test-failing-publication")


@pytest.fixture
def editor(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


def snapshot(page_pk):
    page = ArticlePage.objects.get(pk=page_pk)
    return {
        "title": page.title,
        "live_revision": page.live_revision_id,
        "latest_revision": page.latest_revision_id,
        "revisions": Revision.page_revisions.filter(object_id=str(page_pk)).count(),
        "log": PageLogEntry.objects.filter(page_id=page_pk).count(),
    }


def test_a_publication_that_fails_halfway_leaves_the_live_page_as_it_was(
    category, editor, fail_publications
):
    page = ArticlePageFactory(parent=category, title="As published")
    page.save_revision().publish()
    before = snapshot(page.pk)
    data = edit_form_data(editor, page, body=BODY)
    data["title"] = "Half published"
    fail_publications()
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 500
    assert snapshot(page.pk) == before
    assert ArticlePage.objects.live().filter(title="Half published").count() == 0


def test_a_new_page_whose_publication_fails_is_not_created(category, editor, fail_publications):
    url, data = create_form_data(
        editor, category, body=BODY, title="Never there", slug="never", summary="S",
        ai_involvement="none",
    )  # fmt: skip
    data["action-publish"] = "action-publish"
    fail_publications()
    response = editor.post(url, data)
    assert response.status_code == 500
    assert not ArticlePage.objects.filter(slug="never").exists()


def test_a_publication_that_succeeds_is_kept_whole(category, editor):
    page = ArticlePageFactory(parent=category, title="First")
    page.save_revision().publish()
    data = edit_form_data(editor, page, body=BODY)
    data["title"] = "Second"
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Second" and page.live_revision == page.latest_revision
    assert page.live_revision.as_object().title == "Second"


@pytest.mark.parametrize(
    "method, path, wrapped",
    [
        ("post", "/admin/pages/3/edit/", True),
        ("post", "/admin/pages/add/prism_news/articlepage/3/", True),
        ("post", "/admin/pages/3/unpublish/", True),
        ("post", "/admin/pages/3/delete/", True),
        ("get", "/admin/pages/3/edit/", False),
        ("post", "/admin/pages/3/edit/preview/", False),
        ("post", "/admin/login/", False),
        ("get", "/", False),
    ],
)
def test_only_page_changes_in_the_admin_hold_a_transaction(db, method, path, wrapped):
    """Reads, previews and the rest keep autocommit: under SQLite's immediate
    transactions a transaction holds the write lock from its start."""
    request = getattr(RequestFactory(), method)(path)
    # The default language is served unprefixed, whatever an earlier test activated.
    with translation.override(settings.LANGUAGE_CODE):
        request.resolver_match = resolve(path)
    assert wraps_in_a_transaction(request) is wrapped
