"""The search index of prism_news's pages, kept current by the task worker.

Wagtail (django-modelsearch) queues ``insert_or_update_object_task`` on every save of an
indexed object and removes a deleted one from the index at once. For prism_news's pages
it does the same through :func:`index_page`, a task of its own, because the stock task
falls short in two ways:

- A page deleted before the worker reaches its task makes it fail
  (``ArticlePage.DoesNotExist``: a FAILED task and a traceback in the worker's log) for
  nothing: the deletion has already taken the page out of the index.
- A backend that cannot be reached (Elasticsearch or OpenSearch down) loses the update:
  modelsearch logs the error and the task succeeds. Here the task tries again later, with
  growing delays (:data:`RETRY_DELAYS`), and fails visibly after the last try;
  ``manage.py update_index`` rebuilds everything.

The task is queued when the row is saved, as Wagtail queues its own. With django-tasks'
database backend (the example site's) the task is a row written in the same transaction
as the page: it exists exactly when the change committed, and the worker sees it only
then. A backend outside the database would let a worker run the task before the commit
and index the old row, so for any other backend the task is queued after the commit.

Only the page's row is indexed, and that row holds the live content: a draft revision
never reaches the index (``tests/test_search_index.py``).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from modelsearch import signal_handlers as modelsearch_signals
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import get_indexed_instance, remove_object
from wagtail.models import Page

from .caching import SEARCH_TAG, invalidate
from .caching.invalidation import invalidate_now

logger = logging.getLogger(__name__)

#: Seconds before each further try of a page whose indexing failed.
RETRY_DELAYS = (10, 60, 300, 1800)

#: ``(model, had its own flag)`` of the page models taken off modelsearch's handlers.
TAKEN = []


class IndexingFailed(RuntimeError):
    """A page could not be written to a search backend, after every try."""


def take_over(models):
    """Take ``models`` off modelsearch's own save and delete handlers; return those taken,
    for :func:`on_page_saved` and :func:`on_page_deleted`. A model that turned automatic
    updates off itself (``search_auto_update = False``) stays as it is.

    modelsearch connects its handlers in its ``ready()`` to the models whose
    ``search_auto_update`` is true, and prism_news's ``ready()`` may run before or after
    it: so the flag is turned off here (modelsearch then skips the model) and any
    handler already connected is disconnected.
    """
    taken = []
    for model in models:
        if not getattr(model, "search_auto_update", True):
            continue
        had_own = "search_auto_update" in model.__dict__
        model.search_auto_update = False
        post_save.disconnect(modelsearch_signals.post_save_signal_handler, sender=model)
        post_delete.disconnect(modelsearch_signals.post_delete_signal_handler, sender=model)
        TAKEN.append((model, had_own))
        taken.append(model)
    return taken


def release():
    """Give the page models back to modelsearch's own handlers."""
    while TAKEN:
        model, had_own = TAKEN.pop()
        if had_own:
            model.search_auto_update = True
        else:
            del model.search_auto_update
        post_save.connect(modelsearch_signals.post_save_signal_handler, sender=model)
        post_delete.connect(modelsearch_signals.post_delete_signal_handler, sender=model)


def on_page_deleted(sender, instance, **kwargs):
    """``post_delete`` of a prism_news page: out of the index at once, as modelsearch does."""
    remove_object(instance)


def on_page_saved(sender, instance, raw=False, **kwargs):
    """``post_save`` of a prism_news page: queue :func:`index_page` (see the module)."""
    if raw:
        return
    page_id = instance.pk
    backend = index_page.get_backend()
    queued_in_the_database = type(backend).__module__.startswith("django_tasks_db.")
    if queued_in_the_database or isinstance(backend, ImmediateBackend):
        # A row of this transaction, or a task run now, inside it.
        index_page.enqueue(page_id)
    else:
        transaction.on_commit(lambda: index_page.enqueue(page_id), robust=True)


def _invalidate_searches(page):
    """Invalidate the answers made from the index (``search``, ``search:<language>``).

    This task is the durable record here (a failed try is tried again), so the cache is
    told at once; only when it cannot take it does the change go through the outbox.
    Only a live page's entry is something a search may show."""
    language = getattr(getattr(page, "locale", None), "language_code", None)
    tags = [SEARCH_TAG, f"{SEARCH_TAG}:{language}" if language else None]
    try:
        invalidate_now([tag for tag in tags if tag])
    except Exception:
        logger.warning("Search answers invalidated through the outbox", exc_info=True)
        invalidate(tags)


@task()
def index_page(page_id, attempt=0):
    """Write the page ``page_id``, as its specific type, to every search backend that
    updates automatically; nothing when it is gone (its deletion removed it)."""
    page = Page.objects.filter(pk=page_id).first()
    instance = get_indexed_instance(page) if page is not None else None
    if instance is None:
        return "gone"
    failed = []
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            with transaction.atomic():  # a database backend's error spoils no other write
                backend.add(instance)
        except Exception:
            logger.exception("Could not index page %s in search backend %r", page_id, name)
            failed.append(name)
    if not failed:
        # Answers to searches were made from the index as it was: a publication
        # invalidated them before this task ran, and a search in between kept the old
        # result. Invalidated again, now that the index holds the change.
        if instance.live:
            _invalidate_searches(instance)
        return "indexed"
    if not index_page.get_backend().supports_defer:
        # Run at once, inside the save that queued it (the immediate task backend): a
        # search backend that failed must not fail the editor's save. Logged above;
        # `update_index` writes it later.
        return "failed"
    if attempt < len(RETRY_DELAYS):
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt])
        index_page.using(run_after=later).enqueue(page_id, attempt + 1)
        return "retrying"
    raise IndexingFailed(
        f"page {page_id} is not up to date in search backend(s) {', '.join(failed)} after "
        f"{attempt + 1} tries; run `manage.py update_index` once they are reachable"
    )
