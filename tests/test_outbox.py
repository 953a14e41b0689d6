"""The outbox of invalidations: one row per change (tests/test_cache_faults.py drives
it through real faults)."""

import pytest
from django.db import transaction

from prism_news.caching.invalidation import invalidate
from prism_news.models import ArticlePage, ArticlePageAuthor, PendingInvalidation

from .admin_forms import post_edit
from .factories import ArticlePageFactory, AuthorFactory


@pytest.mark.django_db
def test_one_change_writes_one_row_and_a_rolled_back_part_none():
    """What one transaction invalidates (a publish: its page, then its byline's author
    pages, ...) waits in one row; tags written in a savepoint that rolled back do not
    join it, and a later transaction writes its own row."""
    with transaction.atomic():
        invalidate({"page:1"})
        invalidate({"byline:k", "page:1"})
        try:
            with transaction.atomic():
                invalidate({"page:2"})
                raise RuntimeError
        except RuntimeError:
            pass
        rows = list(PendingInvalidation.objects.order_by("pk").values_list("tags", flat=True))
        assert rows == [["byline:k", "page:1"]]
        with transaction.atomic():
            invalidate({"page:3"})  # a savepoint that commits: the same row
        rows = list(PendingInvalidation.objects.order_by("pk").values_list("tags", flat=True))
        assert rows == [["byline:k", "page:1", "page:3"]]
        transaction.set_rollback(True)  # nothing applied: look, then leave no row
    with transaction.atomic():
        invalidate({"page:4"})
        assert PendingInvalidation.objects.count() == 1  # the rolled back row is gone
        assert PendingInvalidation.objects.get().tags == ["page:4"]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_publish_in_the_admin_writes_one_row(
    admin_client, category, settings, django_capture_on_commit_callbacks
):
    """Through the admin's edit view, with the example site's one transaction per page
    change: the page, its section, its byline's author page and the search answers wait
    in one row (before, the byline's rows wrote one of their own)."""
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "prism_news.admin_transactions.AtomicPageAdminMiddleware",
    ]
    page = ArticlePageFactory(parent=category, live=False, title="Pax Silica")
    author = AuthorFactory(name="佐伯 真理")
    ArticlePageAuthor.objects.create(page=page, author=author)
    page.save_revision()
    with django_capture_on_commit_callbacks(execute=False):
        response = post_edit(admin_client, page)
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=page.pk).live
    [row] = PendingInvalidation.objects.all()
    assert {f"page:{page.pk}", f"byline:{author.translation_key}", "members"} <= set(row.tags)
