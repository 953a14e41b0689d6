"""Wagtail's reference index for an article's authors and related pins, with its tasks
run by the database backend's worker after the commit, as in production.

wagtail-localize replaces an article's rows whenever it makes or updates a translation;
Wagtail queued a task per row, which then failed in the worker (DoesNotExist). prism_news
indexes the rows through their page (prism_news/reference_index.py).
"""

from unittest import mock

import pytest
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.test.utils.form_data import rich_text, streamfield

from prism_news.models import ArticlePageAuthor, RelatedArticlePin
from prism_news.translation import translate_instance

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory, AuthorFactory, CategoryIndexPageFactory


def run_worker():
    """The database backend's worker, in this thread, until no task is due (it closes
    "old" connections between tasks: a no-op here, inside the test's transaction)."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=500,
            worker_id="tests",
            excluded_queue_names=[],
        ).run()


def finished():
    """(task name, args, status) of every task the worker ran since the last call."""
    results = DBTaskResult.objects.filter(backend_name="default")
    found = [(r.task_path.rsplit(".", 1)[-1], r.args_kwargs["args"], r.status) for r in results]
    results.delete()
    return found


def referencing(obj):
    """Ids of the pages whose references point at ``obj``."""
    return {int(r.object_id) for r in ReferenceIndex.get_references_to(obj)}


@pytest.fixture
def worker_tasks(settings, prism_settings):
    prism_settings(RESPONSE_CACHE=False)
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A block whose after-commit callbacks run as at a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def story(db, worker_tasks, commit):
    from home.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="ri-home"))
    section = CategoryIndexPageFactory(parent=home, title="Politics")
    other = ArticlePageFactory(parent=section, title="Other")
    article = ArticlePageFactory(parent=section, title="Story")
    author = AuthorFactory(name="Mari Saeki")
    with commit():
        ArticlePageAuthor.objects.create(page=article, author=author)
        RelatedArticlePin.objects.create(page=article, article=other)
        article.save_revision().publish()
    run_worker()
    assert {status for _, _, status in finished()} == {"SUCCESSFUL"}
    return {"home": home, "section": section, "other": other, "article": article,
            "author": author}  # fmt: skip


def test_translating_and_publishing_fail_no_task_and_index_the_rows(story, admin_client, commit):
    en = Locale.objects.get_or_create(language_code="en")[0]
    with commit():
        for name in ("home", "section", "other", "article"):
            translate_instance(Page.objects.get(pk=story[name].pk).specific, en, lambda text: text)
    # The editor publishes the source from the admin, then the translation is updated.
    article = Page.objects.get(pk=story["article"].pk).specific
    data = edit_form_data(
        admin_client, article, body=streamfield([("paragraph", rich_text("<p>Update</p>"))])
    )
    with commit():
        assert admin_client.post(f"/admin/pages/{article.pk}/edit/", data).status_code == 302
    with commit():
        translate_instance(Page.objects.get(pk=article.pk).specific, en, lambda text: text)
    run_worker()

    tasks = finished()
    assert tasks, "the worker ran the reference-index tasks"
    assert [task for task in tasks if task[2] != "SUCCESSFUL"] == []
    # Every task is about a page (each row's references are indexed under its page).
    assert {args[1] for name, args, _ in tasks if name == "update_reference_index_task"} <= {
        "articlepage", "categoryindexpage", "homepage"
    }  # fmt: skip
    translation = article.get_translation(en)
    assert referencing(story["author"]) == {article.pk, translation.pk}
    assert article.pk in referencing(story["other"])


def test_a_row_saved_or_deleted_on_its_own_reindexes_its_page(story, commit):
    article, other = story["article"], story["other"]
    second = AuthorFactory(name="Ken Mori")
    with commit():
        ArticlePageAuthor.objects.create(page=article, author=second)
    run_worker()
    assert ("update_reference_index_task", ["prism_news", "articlepage", str(article.pk)],
            "SUCCESSFUL") in finished()  # fmt: skip
    assert referencing(second) == {article.pk}

    with commit():
        RelatedArticlePin.objects.filter(page=article).delete()
    run_worker()
    assert {status for *_, status in finished()} == {"SUCCESSFUL"}
    assert article.pk not in referencing(other)


def test_deleting_a_page_with_its_rows_queues_nothing_for_them(story, commit):
    with commit():
        story["article"].delete()
    run_worker()
    assert [task for task in finished() if task[2] != "SUCCESSFUL"] == []
    assert referencing(story["author"]) == set()
