import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask

from ..ai_review import (
    SELF_APPROVED_ACTION,
    approval_conflicts,
    approval_refused_message,
    content_fingerprint,
    review_revision,
    self_approval_allowed,
)

logger = logging.getLogger("prism_news.ai_review")


def reviewed_revision(task_state, obj):
    """The revision an approval vouches for: the latest (what approving publishes) when
    its reviewed content is the submitted revision's, else the submitted one, which the
    reviewer's task preview showed. Content saved after the submission by someone else
    (an import, a colleague) is then not reviewed, and the gate refuses to publish it."""
    submitted = task_state.revision
    latest = obj.get_latest_revision() or submitted
    if latest is None or submitted is None or latest.pk == submitted.pk:
        return latest or submitted
    same = content_fingerprint(latest.as_object()) == content_fingerprint(submitted.as_object())
    return latest if same else submitted


class AIReviewTask(AbstractGroupApprovalTask):
    """Human review of AI content: a person from the chosen groups vouches for the article.

    Approving records the reviewer and the time, with a fingerprint of the content,
    on the revision under review (the latest: what approving publishes, including
    changes made while the article was in review), so the page history shows who
    reviewed which version and the published article carries it. Rejecting sends the page back
    with the reviewer's comment, as Wagtail's group approval task does.

    Four eyes: whoever submitted the page to the workflow (or resumed it) or changed
    its reviewed content since its last review is not offered "Approve", and an
    approval they send anyway is refused (``PermissionDenied``), unless
    ``PRISM_NEWS["AI_REVIEW_ALLOW_SELF_APPROVAL"]`` is on; then it is allowed and
    recorded in the page history and the server log.
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and not self_approval_allowed() and self._conflicts_for(obj, user):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def _conflicts_for(self, obj, user):
        # The dashboard and the editor's menu ask several times in a request;
        # remember the answer on the user, as Wagtail's group check does.
        cache = user.__dict__.setdefault("_prism_approval_conflicts", {})
        key = (self.pk, obj.pk, obj.latest_revision_id)
        if key not in cache:
            cache[key] = self.approval_conflicts(obj, user)
        return cache[key]

    def approval_conflicts(self, obj, user, *, changing=False):
        """Why ``user`` may not approve ``obj`` on this task (see
        ``prism_news.ai_review.approval_conflicts``); ``changing``: with changes of theirs."""
        workflow_state = obj.current_workflow_state
        if workflow_state is None:
            return []
        return approval_conflicts(obj, workflow_state, user, changing=changing)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            workflow_state = task_state.workflow_state
            obj = workflow_state.content_object
            conflicts = approval_conflicts(obj, workflow_state, user)
            if conflicts and not self_approval_allowed():
                raise PermissionDenied(approval_refused_message(obj, conflicts))
            if conflicts:
                logger.warning(
                    "Review of %r (revision %s) approved by %s, who %s",
                    obj,
                    obj.latest_revision_id,
                    user.get_username(),
                    " and ".join(conflicts),
                )
                log(
                    instance=obj.specific,
                    action=SELF_APPROVED_ACTION,
                    user=user,
                    revision=obj.get_latest_revision(),
                    data={"conflicts": [str(conflict) for conflict in conflicts]},
                )
            review_revision(reviewed_revision(task_state, obj), user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups review AI content; approving records them as "
            "its reviewer on the article. Nobody approves content they submitted or changed."
        )

    class Meta:
        verbose_name = _("Human review of AI content")
        verbose_name_plural = _("Human reviews of AI content")
