"""Wagtail's reference index for the rows that hang off prism_news's pages (an article's
authors and related-article pins), kept up to date through the page that owns them.

Wagtail records the references of a page's inline rows under the page itself (the
"Usage" listings, delete warnings). Besides the page's own task, it queues
``update_reference_index_task`` on every save of such a row, with the *row's* id; the task
loads the row only to climb to its page and index that. The rows of an article are not
kept from one save to the next, though: wagtail-localize replaces them whenever it makes
or updates a translation (``copy_for_translation`` saves them, its synchronisation then
deletes them and saves new ones, in the same transaction), and an editor removing an author
deletes one. A task queued for a replaced row finds nothing when the worker gets to it
(``ArticlePageAuthor.DoesNotExist`` / ``RelatedArticlePin.DoesNotExist``: a FAILED task and a
traceback), for work the page's own task does anyway.

So prism_news takes those row models off Wagtail's per-row tracking (:func:`take_over`) and,
when a row is saved or deleted, queues the task of its *page* after the commit, if the page
still exists (:func:`on_row_changed`). The page outlives its rows, and its index covers them.
``signal_handlers.register_signal_handlers`` does this for prism_news's page types.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail import signal_handlers as wagtail_signals
from wagtail.models import Page, ReferenceIndex
from wagtail.tasks import update_reference_index_task

#: The row models taken off Wagtail's per-row tracking (given back by :func:`release`).
TAKEN = []


def row_models(page_models):
    """The inline row models of ``page_models`` whose references Wagtail indexes."""
    rows = []
    for model in page_models:
        # As Wagtail's ready() does (it keeps the first registration, whichever app is
        # ready first): the page is indexed, its rows tracked.
        ReferenceIndex.register_model(model)
        for relation in get_all_child_relations(model):
            row = relation.related_model
            indexable = ReferenceIndex.model_is_indexable(row, allow_child_models=True)
            if indexable and row not in rows:
                rows.append(row)
    return rows


def take_over(models):
    """Stop Wagtail's per-row tasks for ``models`` (see the module's docstring)."""
    for model in models:
        # Off the tracked list too: Wagtail connects every tracked model again after
        # each ``migrate``.
        ReferenceIndex.tracked_models.discard(model)
        wagtail_signals.disconnect_reference_index_signal_handlers_for_model(model)
        TAKEN.append(model)


def release():
    """Give the rows back to Wagtail's own tracking."""
    while TAKEN:
        model = TAKEN.pop()
        ReferenceIndex.tracked_models.add(model)
        wagtail_signals.connect_reference_index_signal_handlers_for_model(model)


def _page_id(row):
    for field in type(row)._meta.get_fields():
        if isinstance(field, ParentalKey):
            return getattr(row, field.attname)
    return None


def on_row_changed(sender, instance, raw=False, **kwargs):
    """``post_save`` / ``post_delete`` of a row: index its page once the change commits."""
    if raw or getattr(wagtail_signals.reference_index_auto_update_disabled, "value", False):
        return  # loading fixtures, or Wagtail's disable_reference_index_auto_update()
    page_id = _page_id(instance)
    if page_id is not None:
        transaction.on_commit(lambda: index_page(page_id), robust=True)


def index_page(page_id):
    """Queue Wagtail's task for the page ``page_id``, as its specific type, if it exists
    (a page deleted with its rows has no references left to index)."""
    content_type_id = (
        Page.objects.filter(pk=page_id).values_list("content_type_id", flat=True).first()
    )
    if content_type_id is None:
        return
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    update_reference_index_task.enqueue(model._meta.app_label, model._meta.model_name, str(page_id))
