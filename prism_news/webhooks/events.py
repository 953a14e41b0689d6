"""The signal handlers that tell front ends what happened (the types: ``event_types``).

A handler runs in the editor's request (or the command, or the worker) and does
little: it checks that some endpoint is active, notes what the page looks like
now (id, type, locale, slug, URLs: a deleted page has none later) and enqueues one
``dispatch_event`` task, in the change's transaction when the queue is in its database
(``emit``). Building the body,
choosing endpoints and every HTTP request happen in the task worker.

Which Wagtail moment is which event:

==========================  =======================================================
``page.published``          ``page_published`` for a page that is not a translation
``translation.published``   ``page_published`` for a wagtail-localize translation
``page.corrected``          ``page_published`` of an article whose publication added a
                            correction or update note (as well as the event above)
``page.unpublished``        ``page_unpublished``, unless the page expired
``page.expired``            ``page_unpublished`` with ``expired`` set (``publish_scheduled``
                            unpublishing a page past its expiry date)
``page.deleted``            a live page's row is deleted (each live descendant too)
``page.moved``              ``post_page_move`` of a live page
``ai_review.approved``         the "Human review of AI content" task approved
``ai_review.rejected``         the same task: changes requested
==========================  =======================================================
"""

import copy
import logging
import uuid

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from ..publish_gate import translation_of
from ..representations.common import iso
from .event_types import (  # noqa: F401  (EVENT_CHOICES, EVENT_TYPES: importable from here too)
    EVENT_CHOICES,
    EVENT_TYPES,
    PAGE_CORRECTED,
    PAGE_DELETED,
    PAGE_EXPIRED,
    PAGE_MOVED,
    PAGE_PUBLISHED,
    PAGE_UNPUBLISHED,
    PUBLICATIONS,
    REVIEW_APPROVED,
    REVIEW_REJECTED,
    TRANSLATION_PUBLISHED,
)
from .payloads import api_detail_url
from .tasks import enqueue_dispatch, queue_in_transaction

logger = logging.getLogger(__name__)


def webhooks_active():
    WebhookEndpoint = apps.get_model("prism_news", "WebhookEndpoint")
    return WebhookEndpoint.objects.filter(active=True).exists()


def page_facts(page):
    """What the body says about ``page`` as it is now (any Page, generic or specific)."""
    site_id, root_url, path = page.get_url_parts() or (None, None, None)
    model = page.specific_class
    return {
        "site_id": site_id,
        "page": {
            "id": page.pk,
            "type": model._meta.label if model else None,
            "locale": page.locale.language_code,
            "slug": page.slug,
            "url": (root_url + path) if path is not None and root_url else path,
            "detail_url": api_detail_url(page.pk),
        },
    }


def emit(event_type, page, *, unless_deleted=False, **extra):
    """Enqueue ``event_type`` about ``page``: in the current transaction when the task
    queue is in the page's database (``queue_in_transaction``: the event commits with
    the change, so no crash between the commit and the enqueue can lose it), else once
    the transaction commits (a backend in another store would run it too early).

    ``extra`` is added to the body as it is (JSON values only). With
    ``unless_deleted``, nothing is sent if the page is gone by the time the task runs
    (its ``page.deleted`` event tells the front end all it needs). The handlers below
    call it only when some endpoint is active (``webhooks_active``).
    """
    event = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": iso(timezone.now()),  # in the site's time zone, as the API's dates
        **page_facts(page),
        "extra": extra,
    }
    if queue_in_transaction(type(page)):
        _enqueue_dispatch(event, unless_deleted)
    else:
        transaction.on_commit(lambda: _enqueue_dispatch(event, unless_deleted), robust=True)
    return event


def _enqueue_dispatch(event, unless_deleted=False):
    try:
        # A savepoint in the change's transaction (after the commit, a transaction of its
        # own): a refused task leaves the change's transaction usable.
        with transaction.atomic():
            enqueue_dispatch(event, unless_deleted)
    except Exception:  # the editor's work stands: a queue problem must not undo it
        logger.exception("Could not enqueue webhook event %s (%s)", event["id"], event["type"])


# --- Signal handlers (connected in prism_news.signal_handlers, for prism_news's pages)


def on_page_published(sender, instance, **kwargs):
    if not webhooks_active():
        return
    translation = translation_of(instance)
    if translation is None:
        emit(PAGE_PUBLISHED, instance)
    else:
        source = _translation_source(instance, translation)
        extra = {}
        if source is not None:
            extra["source"] = {"id": source.pk, "locale": source.locale.language_code}
        emit(TRANSLATION_PUBLISHED, instance, **extra)
    # The notes this publication added (the article's save noted them: prism_news.corrections).
    added = getattr(instance, "_prism_added_notes", None)
    if added:
        emit(PAGE_CORRECTED, instance, notes=[added_note(child) for child in added])


def added_note(child):
    return {
        "id": child.id,
        "kind": child.value["kind"],
        "date": iso(child.value["date"]),
        "text": child.value["text"],
    }


def _translation_source(page, translation):
    """The page a translation was made from (wagtail-localize's source), if it still exists."""
    return (
        Page.objects.filter(
            translation_key=page.translation_key, locale_id=translation.source.locale_id
        )
        .select_related("locale")
        .first()
    )


def on_page_unpublished(sender, instance, **kwargs):
    if not webhooks_active():
        return
    # Wagtail also unpublishes (in memory) every page it is about to delete.
    event_type = PAGE_EXPIRED if instance.expired else PAGE_UNPUBLISHED
    emit(event_type, instance, unless_deleted=True)


def on_page_deleted(sender, instance, **kwargs):
    """Sent for every page row, descendants included. Front ends never saw drafts:
    only pages live in the database (whatever Wagtail's own handler has just done to
    the instance in memory) are news to them."""
    if webhooks_active() and Page.objects.filter(pk=instance.pk, live=True).exists():
        emit(PAGE_DELETED, instance)


def on_post_page_move(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if not instance.live or url_path_before == url_path_after or not webhooks_active():
        return
    before = copy.copy(instance)
    before.url_path = url_path_before
    emit(PAGE_MOVED, instance, previous_url=page_facts(before)["page"]["url"])


def _review_event(event_type, task_state):
    AIReviewTask = apps.get_model("prism_news", "AIReviewTask")
    # Every task's state is a TaskState: the host's tasks stop here (the class is
    # read from the content type cache).
    model = task_state.task.specific_class
    if model is None or not issubclass(model, AIReviewTask) or not webhooks_active():
        return
    task = task_state.task.specific
    page = task_state.revision.content_object if task_state.revision_id else None
    if page is None:
        return
    emit(event_type, page, review={"task": task.name, "revision_id": task_state.revision_id})


def on_task_approved(sender, instance, **kwargs):
    _review_event(REVIEW_APPROVED, instance)


def on_task_rejected(sender, instance, **kwargs):
    _review_event(REVIEW_REJECTED, instance)
