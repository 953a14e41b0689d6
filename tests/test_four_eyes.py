"""Four eyes on AI content: nobody approves the review of an article they submitted
or changed since its last review (unless AI_REVIEW_ALLOW_SELF_APPROVAL is on).

Through the admin's real entry points, logged in: the workflow action URL the
dashboard and the editor's modal post to, the edit view's "Approve" (which saves
the form first), the dashboard's and the editor's offered actions, and the task's
``on_action`` that every approval runs.
"""

import logging
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import GroupPagePermission, PageLogEntry, TaskState
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.users.models import UserProfile

from prism_news.ai_review import SELF_APPROVED_ACTION, approval_conflicts
from prism_news.models import ArticlePage

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory, source

FORM_BODY = streamfield([("paragraph", rich_text("<p>本文。</p>"))])


@pytest.fixture
def desk(category, policy_on, workflow, reviewer, django_user_model, settings):
    """The review workflow, its reviewer Mari Saeki, a second reviewer and a writer
    (who may edit the section but does not review); everyone works in English."""
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"
    second = django_user_model.objects.create_user(
        "second", "s@x.test", "pw", first_name="Ken", last_name="Ito", is_staff=True
    )
    second.groups.add(*reviewer.groups.all())
    writer = django_user_model.objects.create_user("writer", "w@x.test", "pw", is_staff=True)
    writers = writer.groups.create(name="Writers")
    writers.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=writers,
        page=category,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    for user in (reviewer, second, writer):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    return SimpleNamespace(
        category=category, workflow=workflow, reviewer=reviewer, second=second, writer=writer
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def submitted(desk, *, by, written_by=None):
    """An AI analysis draft written by ``written_by`` (default: ``by``) and submitted
    to the review workflow by ``by``; returns the article and its task state."""
    article = ArticlePageFactory(
        parent=desk.category,
        title="技術同盟の分析",
        summary="要約。",
        body=[("paragraph", "<p>本文。</p>")],
        ai_involvement="analysis",
        sources=[source()],
        live=False,
    )
    article.save_revision(user=written_by or by)
    state = desk.workflow.start(article, by)
    return ArticlePage.objects.get(pk=article.pk), state.current_task_state


def action_url(article, task_state, action="approve"):
    return reverse("wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state.pk])


def approve(user, article, task_state):
    """Approve as the dashboard's and editor's modal does (an XHR); True if approved."""
    response = client_for(user).post(
        action_url(article, task_state),
        {"comment": "Checked."},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    if response.status_code == 403:
        return False
    assert response.status_code == 200 and response.json()["step"] == "success"
    return True


def collect_approval_data(user, article, task_state):
    """The status of the modal the editor's "Approve with comment" opens (an XHR)."""
    url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data",
        args=[article.pk, "approve", task_state.pk],
    )
    return client_for(user).get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code


def assert_refused_as_a_form_post(user, article, task_state):
    """The same action as a plain form POST: Wagtail's "no permission" redirect."""
    response = client_for(user).post(action_url(article, task_state), follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def offered(user, article, task_state):
    """The actions the dashboard and the editor's menu offer ``user``."""
    client = client_for(user)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    pattern = f"/admin/pages/workflow/action/{article.pk}/{{}}/{task_state.pk}/"
    return {
        "dashboard": {a for a in ("approve", "reject") if pattern.format(a) in dashboard},
        "editor": {
            a for a in ("approve", "reject") if f'data-workflow-action-name="{a}"' in editor
        },
    }


def assert_not_reviewed(client, article, task_state):
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.ai_reviewed_at is None and not article.ai_review_current
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404


def assert_reviewed_by(client, article, user):
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.ai_reviewed_by == user and article.review_is_current
    ai = client.get(f"/api/v2/pages/{article.pk}/").json()["ai"]
    assert ai["reviewed"] is True and ai["reviewed_by"] == user.get_full_name()
    assert user.get_full_name() in client.get(article.url).content.decode()


def test_the_submitter_is_not_offered_approve_and_a_crafted_post_is_refused(desk, client):
    article, task_state = submitted(desk, by=desk.reviewer)

    both = {"dashboard": {"reject"}, "editor": {"reject"}}
    assert offered(desk.reviewer, article, task_state) == both
    assert not approve(desk.reviewer, article, task_state)
    assert_refused_as_a_form_post(desk.reviewer, article, task_state)
    # Nor does the editor's "Approve with comment" modal open for them.
    assert collect_approval_data(desk.reviewer, article, task_state) == 403
    assert_not_reviewed(client, article, task_state)

    # Anyone else in the reviewing groups is offered it, and approving publishes.
    both = {"dashboard": {"approve", "reject"}, "editor": {"approve", "reject"}}
    assert offered(desk.second, article, task_state) == both
    assert collect_approval_data(desk.second, article, task_state) == 200
    assert approve(desk.second, article, task_state)
    assert_reviewed_by(client, article, desk.second)


def test_the_task_itself_refuses_the_submitter(desk):
    """Every approval runs the task's on_action: code that calls it is refused too."""
    article, task_state = submitted(desk, by=desk.reviewer)
    task = task_state.task.specific
    with override("en"), pytest.raises(PermissionDenied) as refused:
        task.on_action(task_state, desk.reviewer, "approve", comment="")
    assert "you submitted it for review" in str(refused.value)
    assert "技術同盟の分析" in str(refused.value)
    assert not ArticlePage.objects.get(pk=article.pk).ai_reviewed_at


def test_a_superuser_who_submitted_cannot_approve_either(desk, admin_user, client):
    article, task_state = submitted(desk, by=admin_user)
    assert offered(admin_user, article, task_state)["editor"] == {"reject"}
    assert not approve(admin_user, article, task_state)
    assert_not_reviewed(client, article, task_state)


def test_whoever_changed_the_content_since_its_last_review_cannot_approve(desk, client):
    article, _ = submitted(desk, by=desk.writer)
    # Mari changes the summary while it is in review: she is now one of its authors.
    article.summary = "Mari's summary."
    article.save_revision(user=desk.reviewer)
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert offered(desk.reviewer, article, task_state)["dashboard"] == {"reject"}
    assert not approve(desk.reviewer, article, task_state)
    assert_not_reviewed(client, article, task_state)

    # Mari's summary came after the submission the reviewer's task showed: the
    # approval vouches for the submitted revision, not hers, and the gate keeps her
    # unreviewed summary off the site.
    assert approve(desk.second, article, task_state)
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and client.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    reviewed = TaskState.objects.get(pk=task_state.pk).revision.as_object()
    assert reviewed.ai_reviewed_by == desk.second and reviewed.summary != "Mari's summary."

    # A new round from the writer: Mari's summary was never reviewed, so she still
    # may not approve it; the second reviewer does, and it goes live reviewed.
    article = ArticlePage.objects.get(pk=article.pk)
    article.summary = "The writer's new summary."
    article.save_revision(user=desk.writer)
    task_state = desk.workflow.start(article, desk.writer).current_task_state
    assert not approve(desk.reviewer, article, task_state)
    assert approve(desk.second, article, task_state)
    assert_reviewed_by(client, article, desk.second)


def test_a_change_outside_what_a_review_covers_does_not_count(desk, client):
    """A revision that changes no reviewed text (here the SEO title) is not an edit
    of the content: its author may still approve."""
    article, task_state = submitted(desk, by=desk.writer)
    article.seo_title = "An SEO title"
    article.save_revision(user=desk.reviewer)
    assert approve(desk.reviewer, article, task_state)
    assert_reviewed_by(client, article, desk.reviewer)


def test_approving_with_changes_in_the_editor_is_refused_before_anything_is_saved(desk, client):
    article, task_state = submitted(desk, by=desk.writer)
    reviewer = client_for(desk.reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    revisions = article.revisions.count()

    data = edit_form_data(reviewer, article, body=FORM_BODY, action="action-workflow-action")
    data["workflow-action-name"] = "approve"
    data["summary"] = "Fixed by the reviewer while approving."
    response = reviewer.post(url, data, follow=True)
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "You cannot approve the review of “技術同盟の分析”" in messages
    assert "you changed its content since its last review" in messages
    assert article.revisions.count() == revisions  # nothing saved
    assert_not_reviewed(client, article, task_state)

    # The same Approve with the text as submitted: approved, from the editor.
    data = edit_form_data(reviewer, article, body=FORM_BODY, action="action-workflow-action")
    data["workflow-action-name"] = "approve"
    assert reviewer.post(url, data).status_code == 302
    assert_reviewed_by(client, article, desk.reviewer)


def test_a_crafted_approve_in_the_editor_by_the_submitter_is_refused(desk, client):
    article, task_state = submitted(desk, by=desk.reviewer)
    reviewer = client_for(desk.reviewer)
    data = edit_form_data(reviewer, article, body=FORM_BODY, action="action-workflow-action")
    data["workflow-action-name"] = "approve"
    response = reviewer.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 200
    assert "you submitted it for review" in response.content.decode()
    assert_not_reviewed(client, article, task_state)


def test_whoever_resumes_the_workflow_is_a_submitter(desk, client):
    article, task_state = submitted(desk, by=desk.writer)
    task_state.task.specific.on_action(task_state, desk.second, "reject", comment="Check it")
    workflow_state = ArticlePage.objects.get(pk=article.pk).current_workflow_state
    workflow_state.resume(desk.reviewer)  # Mari sends it back unchanged
    task_state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert not approve(desk.reviewer, article, task_state)
    assert_not_reviewed(client, article, task_state)


def test_the_setting_allows_self_approval_and_the_history_says_so(
    desk, client, prism_settings, caplog
):
    prism_settings(AI_REVIEW_ALLOW_SELF_APPROVAL=True)
    article, task_state = submitted(desk, by=desk.reviewer, written_by=desk.writer)
    assert offered(desk.reviewer, article, task_state)["editor"] == {"approve", "reject"}
    with caplog.at_level(logging.WARNING, logger="prism_news.ai_review"):
        assert approve(desk.reviewer, article, task_state)
    assert_reviewed_by(client, article, desk.reviewer)
    assert "approved by reviewer, who submitted" in caplog.text
    entry = PageLogEntry.objects.get(page=article, action=SELF_APPROVED_ACTION)
    assert entry.user == desk.reviewer and entry.data == {"conflicts": ["submitted"]}
    history = client_for(desk.second).get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    assert "Review approved without a second person" in history.content.decode()
    assert "the reviewer had submitted it for review" in history.content.decode()


def test_the_check_reads_a_fixed_number_of_queries_however_many_revisions(desk):
    """The dashboard asks for every task awaiting review: the revisions since the last
    review are read in one query, however many there are."""
    article, task_state = submitted(desk, by=desk.writer)
    counts = []
    for revisions in (3, 30):
        while article.revisions.count() < revisions:
            article.summary = f"Summary {article.revisions.count()}"
            article.save_revision(user=desk.writer)
        with CaptureQueriesContext(connection) as queries:
            assert approval_conflicts(article, task_state.workflow_state, desk.reviewer) == []
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3
