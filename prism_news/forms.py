from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .ai_involvement import AIInvolvement
from .ai_review import approval_refused_message, content_fingerprint, self_approval_allowed

CHOOSE_INVOLVEMENT = _("Choose how AI took part")
INVOLVEMENT_REQUIRED = _(
    "Choose how AI took part in this article (“None” if people wrote it without AI)."
)


class PrismPageForm(WagtailAdminPageForm):
    """The editor form of every prism_news page type."""

    class Media:
        # Publish and the other buttons wait for an autosave in flight (see the file).
        js = ["prism_news/js/publish_after_autosave.js"]


class ArticlePageForm(PrismPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self._no_default_involvement()
        # The content as it was before this submission, for an approval sent with it.
        self._fingerprint_before = (
            content_fingerprint(self.instance) if self._approves_review_task() else None
        )

    def _no_default_involvement(self):
        """A new article starts with no AI involvement chosen: the model's default
        (none, which skips the review) would otherwise be one unnoticed click away."""
        field = self.fields.get("ai_involvement")
        if field is None:  # a form without the field (v3 writes only some fields)
            return
        field.choices = [("", CHOOSE_INVOLVEMENT), *AIInvolvement.choices]
        field.required = True
        field.error_messages["required"] = INVOLVEMENT_REQUIRED
        self.initial["ai_involvement"] = ""

    def _approves_review_task(self):
        # The edit view's "Approve" posts the whole form with these two keys.
        return bool(
            self.is_bound
            and self.instance.pk
            and self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned_data = super().clean()
        # The model's rules look at the article's sources, but a ClusterForm
        # only hands the submitted inline rows to the instance on save. Give
        # the instance the rows as submitted, so ArticlePage.clean() judges
        # what the editor sent rather than what is in the database.
        formset = self.formsets.get("sources")
        if formset is not None and formset.is_valid():
            deleted = formset.deleted_forms
            self.instance.sources = [
                form.instance
                for form in formset.forms
                if form not in deleted and (form.instance.pk or form.has_changed())
            ]
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        if self._fingerprint_before is not None and not self.errors:
            self._check_four_eyes()

    def _check_four_eyes(self):
        """Approving from the editor saves the form first: refuse, before anything is
        saved, an approval by someone who submitted the article or changed it, now or
        since its last review (the task refuses it again when it runs)."""
        task = self.instance.current_workflow_task
        conflicts_of = getattr(task, "approval_conflicts", None)
        if conflicts_of is None or self_approval_allowed():
            return
        changing = content_fingerprint(self.instance) != self._fingerprint_before
        conflicts = conflicts_of(self.instance, self.for_user, changing=changing)
        if conflicts:
            self.add_error(None, approval_refused_message(self.instance, conflicts))
