"""The review gate in wagtail-localize's translation editor: one outcome for its Publish,
and the review's actions where the translator and the reviewer are.

wagtail-localize's editor replaces Wagtail's page editor for a translation (its own
``before_edit_page`` hook) and its React footer has no workflow actions. So:

- its Publish (a POST of ``action=publish``) is answered here first (``before_edit_page``,
  ahead of wagtail-localize's hook): when the gate would refuse, the translation is saved
  as a draft and, when the review is all it lacks, sent to the review workflow, with one
  message that says so. wagtail-localize's own code does not run, so its "Published …"
  never appears beside it.
- a notice above the editor (our ``wagtail_localize/admin/edit_translation.html``, which
  extends wagtail-localize's template) says where the translation stands in the review
  and carries "Submit for review" or "Approve and publish" for whoever may do that. Both
  post to the same edit URL (``prism-review`` in the form) and are answered here, with
  Wagtail's workflow machinery (``Workflow.start``, ``WorkflowState.resume`` and
  ``cancel`` as Wagtail's editor uses them, ``Task.get_actions`` and ``Task.on_action``
  as its workflow action view does).

The gate itself stays in the model (``prism_news.publish_gate``): approving publishes
through Wagtail's finishing action, which meets it like every other path.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, WorkflowState

from .admin_publishing import REVIEW_APPROVED_PUBLISHED
from .ai_review import approval_refused_message, content_fingerprint
from .conf import get_settings
from .models import AIReviewTask
from .models.workflow import reviewed_revision
from .publish_gate import Blocker, PublishGateMixin, publish_blockers, translation_of

#: The form field that the notice's buttons send (``submit`` or ``approve``).
REVIEW_FIELD = "prism-review"

# --- What the editor says after each action (one message each time)

SENT_TO_REVIEW = _(
    "“%(title)s” was not published yet: its translated text needs a human review first. "
    "It was saved as a draft and submitted to “%(workflow)s”; approving the review publishes it."
)
ALREADY_IN_REVIEW = _(
    "“%(title)s” was not published yet: it is waiting for a human review in “%(workflow)s”, "
    "and its text is as it was submitted. Approving the review publishes it."
)
PUBLISH_REFUSED_DRAFT = _("“%(title)s” was saved as a draft, not published: %(reasons)s")
SUBMITTED = _(
    "“%(title)s” was saved as a draft and submitted to “%(workflow)s” for a human "
    "review of the translated text."
)
ALREADY_SUBMITTED = _(
    "“%(title)s” is already waiting for a human review in “%(workflow)s”, and its text "
    "is as it was submitted."
)
NOT_SUBMITTED = _("“%(title)s” was saved as a draft, not submitted for review: %(reasons)s")
NO_REVIEW_WORKFLOW = _(
    "no workflow with a human review of AI content applies to this page. Ask an "
    "administrator to assign one to its section."
)
APPROVED = _("“%(title)s” was approved; the next task of “%(workflow)s” follows.")
APPROVED_NOT_PUBLISHED = _("“%(title)s” was approved, but not published: %(reasons)s")
NOT_IN_REVIEW = _("Nothing was approved: “%(title)s” is not waiting for a review.")
REVIEW_MOVED_ON = _(
    "Nothing was approved: the review of “%(title)s” changed since you opened it. "
    "Check the translation again."
)
CHANGED_SINCE_SUBMITTED = _(
    "Nothing was approved: the translated text of “%(title)s” changed after it was "
    "submitted for review, so it is not the version that would be published. Its "
    "translator needs to submit it again."
)

# --- The notice above the editor

NOTICE_NEEDS_REVIEW = _(
    "This is AI content: a translation is published only after a human review of its "
    "translated text. Publish sends it to review; so does “Submit for review”."
)
NOTICE_NO_WORKFLOW = _(
    "This is AI content: a translation is published only after a human review of its "
    "translated text, and no workflow with that review applies to this page."
)
NOTICE_IN_REVIEW = _("Waiting for review: “%(task)s” in “%(workflow)s”.")
NOTICE_NEEDS_CHANGES = _(
    "Changes were requested in “%(workflow)s”. Make them, then submit the translation again."
)
SUBMIT_LABEL = _("Submit for review")
RESUBMIT_LABEL = _("Submit again")
APPROVE_PUBLISH_LABEL = _("Approve and publish")
APPROVE_LABEL = _("Approve")


def _say(template, page, **values):
    return template % {"title": page.get_admin_display_title(), **values}


def _reasons(blockers):
    return " ".join(str(b) for b in blockers)


def _editor_page(page):
    """The page as stored now (workflow states and flags read afresh), specific."""
    return Page.objects.get(pk=page.pk).specific


def _candidate(translation):
    """The translation as publishing it now would make it (wagtail-localize's strings)."""
    return translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )


def review_workflow(page):
    """The active workflow of ``page`` when it has the active human review task, or None."""
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return None
    review_task = ContentType.objects.get_for_model(AIReviewTask)
    if not workflow.tasks.filter(active=True, content_type=review_task).exists():
        return None
    return workflow


def _gated(page):
    """Whether the review gate applies to ``page``: a prism_news page of AI content."""
    return (
        isinstance(page, PublishGateMixin)
        and get_settings()["REQUIRE_AI_REVIEW"]
        and bool(getattr(page, "needs_human_review", False))
    )


def _send_to_review(page, user):
    """Put ``page``'s latest revision in front of the reviewers, the way Wagtail's editor
    does: start the review workflow, resume it after changes were requested, or, when
    the text changed while it was in review, restart it (a review vouches for the
    revision that was submitted). Returns ``(workflow, "started" | "resumed" |
    "restarted" | "unchanged")``, or ``(None, None)`` when no workflow with the review
    task applies."""
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return state.workflow, "resumed"
    if state is not None:
        latest = page.get_latest_revision()
        if reviewed_revision(state.current_task_state, page) == latest:
            return state.workflow, "unchanged"
        state.cancel(user=user)
        state.workflow.start(page, user)
        return state.workflow, "restarted"
    workflow = review_workflow(page)
    if workflow is None:
        return None, None
    workflow.start(page, user)
    return workflow, "started"


# --- Publish from the editor


def answer_translation_editor(request, page):
    """``before_edit_page``, ahead of wagtail-localize's own hook: its editor's Publish, and
    the notice's buttons. Publish that the gate would refuse keeps the translation as a
    draft and says once what happened to it."""
    if request.method != "POST":
        return None
    if request.POST.get(REVIEW_FIELD) and isinstance(page.specific, PublishGateMixin):
        return review_action(request, page)
    if request.POST.get("action") != "publish":
        return None
    translation = translation_of(page, enabled_only=True)
    if translation is None or not page.permissions_for_user(request.user).can_publish():
        return None  # not wagtail-localize's editor, or its own permission error
    try:
        candidate = _candidate(translation)
    except Exception:  # a deleted source and the like: wagtail-localize explains those
        return None
    blockers = publish_blockers(candidate)
    if not blockers:
        return None
    with transaction.atomic():
        translation.save_target(user=request.user, publish=False)
        page = _editor_page(page)
        workflow, outcome = None, None
        if {b.code for b in blockers} == {Blocker.NEEDS_REVIEW}:
            workflow, outcome = _send_to_review(page, request.user)
    if outcome == "unchanged":
        messages.warning(request, _say(ALREADY_IN_REVIEW, page, workflow=workflow))
    elif outcome is not None:
        messages.warning(request, _say(SENT_TO_REVIEW, page, workflow=workflow))
    else:
        messages.error(request, _say(PUBLISH_REFUSED_DRAFT, page, reasons=_reasons(blockers)))
    return redirect(request.path)


# --- The notice's actions


def review_action(request, page):
    action = request.POST.get(REVIEW_FIELD)
    if action == "submit":
        return submit_for_review(request, page)
    if action == "approve":
        return approve(request, page)
    return HttpResponseBadRequest(_("Unknown review action: send “submit” or “approve”."))


def submit_for_review(request, page):
    """Save the translation's strings as a draft and put it in front of the reviewers."""
    translation = translation_of(page, enabled_only=True)
    page = _editor_page(page)
    if translation is None:
        raise PermissionDenied
    # Wagtail's edit view let only editors of the page this far; a lock stops them.
    if page.permissions_for_user(request.user).page_locked():
        raise PermissionDenied
    try:
        blockers = publish_blockers(_candidate(translation))
    except Exception:  # a deleted source and the like: wagtail-localize explains those
        return None
    blockers = [b for b in blockers if b.code != Blocker.NEEDS_REVIEW]
    with transaction.atomic():
        translation.save_target(user=request.user, publish=False)
        page = _editor_page(page)
        workflow, outcome = (None, None) if blockers else _send_to_review(page, request.user)
    if blockers:
        messages.error(request, _say(NOT_SUBMITTED, page, reasons=_reasons(blockers)))
    elif outcome is None:
        messages.error(request, _say(NOT_SUBMITTED, page, reasons=NO_REVIEW_WORKFLOW))
    elif outcome == "unchanged":
        messages.info(request, _say(ALREADY_SUBMITTED, page, workflow=workflow))
    else:
        messages.success(request, _say(SUBMITTED, page, workflow=workflow))
    return redirect(request.path)


def approve(request, page):
    """Approve the task the translation is on, as Wagtail's workflow action view does:
    only with the task's own "approve" action for this user (its groups, four eyes)."""
    page = _editor_page(page)
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        messages.error(request, _say(NOT_IN_REVIEW, page))
        return redirect(request.path)
    task_state = state.current_task_state
    if str(task_state.pk) != request.POST.get("task_state", ""):
        messages.error(request, _say(REVIEW_MOVED_ON, page))
        return redirect(request.path)
    task = task_state.task.specific
    if "approve" not in {name for name, _label, _modal in task.get_actions(page, request.user)}:
        conflicts = getattr(task, "approval_conflicts", None)
        conflicts = conflicts(page, request.user) if conflicts else []
        if not conflicts or not task.user_can_access_editor(page, request.user):
            raise PermissionDenied  # not a reviewer of this task
        messages.error(request, approval_refused_message(page, conflicts))  # four eyes
        return redirect(request.path)
    translation = translation_of(page, enabled_only=True)
    if translation is not None and _changed_since_submitted(page, translation):
        messages.error(request, _say(CHANGED_SINCE_SUBMITTED, page))
        return redirect(request.path)
    task.on_action(task_state, request.user, "approve")
    page = _editor_page(page)
    if page.live and not page.has_unpublished_changes:
        messages.success(request, _say(REVIEW_APPROVED_PUBLISHED, page))
    elif page.workflow_in_progress:
        messages.success(request, _say(APPROVED, page, workflow=state.workflow))
    else:
        blockers = publish_blockers(page.get_latest_revision_as_object())
        messages.warning(request, _say(APPROVED_NOT_PUBLISHED, page, reasons=_reasons(blockers)))
    return redirect(request.path)


def _changed_since_submitted(page, translation):
    """Whether the strings in the editor (what the reviewer reads there) say something
    else than the revision under review (what approving publishes)."""
    if not hasattr(page, "ai_review_fingerprint"):
        return False
    latest = page.get_latest_revision_as_object()
    return content_fingerprint(_candidate(translation)) != content_fingerprint(latest)


# --- The notice


def review_notice(request, page):
    """What the notice above the translation editor shows, or None (no notice): a text,
    and a button (``label``, ``action``, ``task_state``) when this user may act."""
    page = page.specific
    if not _gated(page) or translation_of(page, enabled_only=True) is None:
        return None
    user = request.user
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task_state = state.current_task_state
        task = task_state.task.specific
        notice = {"text": NOTICE_IN_REVIEW % {"task": task, "workflow": state.workflow}}
        if "approve" in {name for name, _label, _modal in task.get_actions(page, user)}:
            last = state.workflow.tasks.filter(active=True).last()
            label = APPROVE_PUBLISH_LABEL if last and last.pk == task.pk else APPROVE_LABEL
            notice.update(action="approve", label=label, task_state=task_state.pk)
        elif not page.permissions_for_user(user).page_locked():
            # Strings changed during the review go to it only when submitted again.
            notice.update(action="submit", label=RESUBMIT_LABEL)
        return notice
    perms = page.permissions_for_user(user)
    if state is not None:  # changes were requested
        notice = {"text": NOTICE_NEEDS_CHANGES % {"workflow": state.workflow}}
        if not perms.page_locked():
            notice.update(action="submit", label=RESUBMIT_LABEL)
        return notice
    if review_workflow(page) is None:
        return {"text": NOTICE_NO_WORKFLOW}
    notice = {"text": NOTICE_NEEDS_REVIEW}
    if perms.can_submit_for_moderation():
        notice.update(action="submit", label=SUBMIT_LABEL)
    return notice
