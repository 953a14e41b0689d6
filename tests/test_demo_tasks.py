"""The demo leaves the worker no task about a row that is gone.

Wagtail indexes references in a task per saved row, run by the worker after the commit.
A translation saves its page's authors and pins and then replaces them, so per-row tasks
would fail in the worker (DoesNotExist) on a fresh `make demo`; the loader indexes what it
made itself instead.
"""

from types import SimpleNamespace

import wagtail.signal_handlers
from django.apps import apps
from django.core.management import call_command
from wagtail.models import ReferenceIndex

from prism_news.models import ArticlePage


def test_the_demo_enqueues_no_task_for_a_row_it_deletes(db, prism_settings, monkeypatch):
    prism_settings(RESPONSE_CACHE=False)
    enqueued = []
    # Wagtail's save handler enqueues through this name; record instead of running.
    monkeypatch.setattr(
        wagtail.signal_handlers,
        "update_reference_index_task",
        SimpleNamespace(enqueue=lambda *args: enqueued.append(args)),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    gone = [
        (app_label, model_name, pk)
        for app_label, model_name, pk in enqueued
        if not apps.get_model(app_label, model_name).objects.filter(pk=pk).exists()
    ]
    assert gone == []
    # ... and the references are indexed all the same: each article's author is used by it.
    article = ArticlePage.objects.filter(locale__language_code="en").first()
    author = article.article_authors.first().author
    assert ReferenceIndex.get_references_to(author).filter(object_id=str(article.pk)).exists()
