"""The publishing gate in the admin: say why, in the editor's language, instead of failing.

The gate itself (``prism_news.publish_gate``) refuses in the model. These pieces
ask the same question first wherever an editor can press a publish button, so
the answer is a message on the page they were on rather than an error page:
the create and edit views (``before_publish_page``), bulk publishing, copies, and
scheduled publications that were refused (a dashboard panel and page history).
wagtail-localize's translation editor has its own module, ``admin_translation_review``.
A create form sent again after autosave had already created its page is
explained too (``before_create_page``).
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages as admin_messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.log_actions import LogFormatter
from wagtail.models import Page, Revision, TaskState

from .ai_review import SELF_APPROVED_ACTION, Conflict
from .models import AIReviewTask
from .publish_gate import (
    PUBLISH_REFUSED,
    REFUSED_ACTION,
    Blocker,
    PublishGateMixin,
    PublishingBlocked,
    publish_blockers,
)

SCHEDULE_REFUSED = _("“%(title)s” was not scheduled for publishing: %(reasons)s")

AUTOSAVED_ALREADY = _(
    "Nothing was published or saved: autosave had already saved this page as the draft "
    "“%(title)s”, with the same slug, when the form was sent. Open the draft to publish it."
)


def refusal_message(page, blockers, template=PUBLISH_REFUSED):
    return template % {
        "title": page.get_admin_display_title(),
        "reasons": " ".join(str(b) for b in blockers),
    }


def refuse_blocked_publication(request, page):
    """``before_publish_page``: the create and edit views' Publish (and Schedule)."""
    blockers = publish_blockers(page)
    if not blockers:
        return None
    scheduled = page.go_live_at and page.go_live_at > timezone.now()
    template = SCHEDULE_REFUSED if scheduled else PUBLISH_REFUSED
    messages.error(request, refusal_message(page, blockers, template))
    return redirect("wagtailadmin_pages:edit", page.pk)


def explain_autosaved_draft(request, parent_page, page_class):
    """``before_create_page``: the create form sent again (Publish, Save draft or Submit)
    after autosave turned it into a draft. The page editor's script holds the buttons
    while an autosave is in flight, so this is for when it could not (an autosave
    that answered too late or not at all): the form then fails on the taken slug, and
    this says which draft took it and links to it."""
    if (
        request.method != "POST"
        or not request.accepts("text/html")  # autosave itself: its indicator says why
        or not issubclass(page_class, PublishGateMixin)  # the host's pages: as Wagtail does
        or not request.POST.get("slug")
    ):
        return None
    draft = (
        parent_page.get_children()
        .filter(slug=request.POST["slug"], live=False, first_published_at__isnull=True)
        .filter(owner=request.user)
        .first()
    )
    if draft is not None:
        edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        admin_messages.warning(
            request,
            AUTOSAVED_ALREADY % {"title": draft.get_admin_display_title()},
            buttons=[admin_messages.button(edit, _("Open the draft"))],
        )
    return None


# What Wagtail's edit view says after any workflow action ("…の更新が完了しました").
WAGTAIL_UPDATED = "Page '%(page_title)s' has been updated."
REVIEW_APPROVED = _("“%(title)s” was approved.")
REVIEW_APPROVED_PUBLISHED = _("“%(title)s” was approved and published.")
REVIEW_REJECTED = _("Changes to “%(title)s” were requested: it goes back to its editor.")


def say_what_the_review_did(request, page):
    """``after_edit_page``: approving or requesting changes on the review task from the
    editor says so, in place of Wagtail's "the page has been updated"."""
    action = request.POST.get("workflow-action-name")
    if request.method != "POST" or action not in ("approve", "reject"):
        return None
    task_state = (
        TaskState.objects.filter(workflow_state__in=page.workflow_states, finished_by=request.user)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if task_state is None or not isinstance(task_state.task.specific, AIReviewTask):
        return None
    page = page.specific_deferred
    page.refresh_from_db(fields=["live", "has_unpublished_changes"])
    if task_state.status == TaskState.STATUS_REJECTED:
        template = REVIEW_REJECTED
    elif page.live and not page.has_unpublished_changes:
        template = REVIEW_APPROVED_PUBLISHED
    else:
        template = REVIEW_APPROVED
    title = page.get_admin_display_title()
    updated = gettext(WAGTAIL_UPDATED) % {"page_title": title}
    # Reading the messages marks them shown: add back all but Wagtail's, then ours.
    # (Wagtail's message is HTML with its buttons.)
    kept = [
        m
        for m in messages.get_messages(request)
        if not str(m.message).strip().startswith((updated, escape(updated)))
    ]
    for message in kept:
        messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)
    messages.success(request, template % {"title": title})
    return None


def explain_unpublished_copy(request, page, new_page):
    """``after_copy_page``: "Publish copies" was asked for, but the copy needs its own review."""
    if not request.POST.get("publish_copies") or new_page.live or not page.live:
        return None
    blockers = getattr(new_page, "_prism_refused", None) or publish_blockers(new_page.specific)
    if blockers:
        messages.warning(request, refusal_message(new_page, blockers))
    return None


class GatedPublishBulkAction(PublishBulkAction):
    """Wagtail's bulk Publish, except that a page the gate refuses is skipped and
    named in a message, and the others (and their descendants) are still published."""

    def get_execution_context(self):
        self.refused = []
        return {**super().get_execution_context(), "refused": self.refused}

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, refused=None, **kw):
        refused = [] if refused is None else refused
        parents = children = 0
        for page in objects:
            parents += cls.publish_one(page, user, refused)
            if not include_descendants:
                continue
            drafts = page.get_descendants().not_live().defer_streamfields().specific()
            for descendant in drafts.iterator():
                if user is None or descendant.permissions_for_user(user).can_publish():
                    children += cls.publish_one(descendant, user, refused)
        return parents, children

    @staticmethod
    def publish_one(page, user, refused):
        revision = page.get_latest_revision() or page.specific.save_revision(user=user)
        try:
            with transaction.atomic():
                revision.publish(user=user)
        except PublishingBlocked as error:
            refused.append(refusal_message(page, error.blockers))
            return 0
        return 1

    def get_success_message(self, num_parent_objects, num_child_objects):
        for message in self.refused:
            messages.error(self.request, message)
        if not num_parent_objects and not num_child_objects:
            return None
        return super().get_success_message(num_parent_objects, num_child_objects)


class RefusedPublicationFormatter(LogFormatter):
    label = _("Publication refused")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        reasons = " ".join(str(Blocker.from_data(b)) for b in data.get("blockers", []))
        if data.get("scheduled"):
            return _("Scheduled publication refused: %(reasons)s") % {"reasons": reasons}
        return _("Publication refused: %(reasons)s") % {"reasons": reasons}


class SelfApprovedReviewFormatter(LogFormatter):
    """A review approved by someone who submitted or changed the content
    (``AI_REVIEW_ALLOW_SELF_APPROVAL``): the history says so."""

    label = _("Review approved without a second person")
    reasons = {
        Conflict.SUBMITTED: _("the reviewer had submitted it for review"),
        Conflict.EDITED: _("the reviewer had changed its content since its last review"),
    }

    def format_message(self, log_entry):
        conflicts = (log_entry.data or {}).get("conflicts", [])
        why = "; ".join(str(self.reasons[c]) for c in conflicts if c in self.reasons)
        return _("Review approved without a second person: %(why)s") % {"why": why}


class OverdueScheduledPanel(Component):
    """Dashboard: revisions whose go-live time has passed but which are not live,
    because the gate refused them (or ``publish_scheduled`` has not run yet)."""

    name = "prism_overdue_scheduled"
    template_name = "prism_news/admin/overdue_scheduled_panel.html"
    order = 205

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        overdue = (
            Revision.page_revisions.filter(approved_go_live_at__lt=timezone.now())
            .select_related("user")
            .order_by("approved_go_live_at")[:20]
        )
        rows = []
        pages = Page.objects.in_bulk([int(r.object_id) for r in overdue])
        for revision in overdue:
            page = pages.get(int(revision.object_id))
            if page is not None:
                rows.append({"page": page, "revision": revision})
        context["rows"] = rows
        context["count_label"] = ngettext(
            "%(count)d scheduled publication is overdue",
            "%(count)d scheduled publications are overdue",
            len(rows),
        ) % {"count": len(rows)}
        return context


def register_log_actions(actions):
    actions.register_action(REFUSED_ACTION)(RefusedPublicationFormatter)
    actions.register_action(SELF_APPROVED_ACTION)(SelfApprovedReviewFormatter)
