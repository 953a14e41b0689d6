"""The action Wagtail runs when a workflow is approved, for ``WAGTAIL_FINISH_WORKFLOW_ACTION``.

Wagtail imports it while loading its own models (``wagtail.models`` is half-loaded
then), so ``prism_news.publish_gate``, which imports Wagtail's models, is imported when
the action runs; Django's transactions and ``wagtail.workflows`` load no models.
"""

from django.db import transaction
from wagtail.workflows import publish_workflow_state as wagtail_publish


def publish_workflow_state(workflow_state, user=None):
    """Wagtail's own finishing action (publish the latest revision), except that a
    publication the gate refuses leaves the page a draft with the refusal in its
    history, instead of an error page for the approving reviewer.

    Approving the "Human review of AI content" task records the review first, so
    this refuses only workflows that approve AI content without that task.
    """
    from .publish_gate import PublishingBlocked, report_refusal  # see the module docstring

    try:
        with transaction.atomic():
            return wagtail_publish(workflow_state, user=user)
    except PublishingBlocked as refused:
        page = workflow_state.content_object.specific
        report_refusal(page, page.get_latest_revision(), refused.blockers, user=user)
        return None
