from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from ..ai_review import review_revision


class AIReviewTask(AbstractGroupApprovalTask):
    """Human review of AI content: a person from the chosen groups vouches for the article.

    Approving records the reviewer and the time, with a fingerprint of the content,
    on the revision under review, so the page history shows who reviewed which
    version and the published article carries it. Rejecting sends the page back
    with the reviewer's comment, as Wagtail's group approval task does.
    """

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            review_revision(task_state.revision, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups review AI content; approving records them as "
            "its reviewer on the article"
        )

    class Meta:
        verbose_name = _("Human review of AI content")
        verbose_name_plural = _("Human reviews of AI content")
