"""Human review of AI content: the workflow task, the publishing policy, what readers see."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask
from wagtail.users.models import UserProfile

from prism_news.checks import check_review_workflow
from prism_news.models import AIReviewTask, ArticlePage, NewsroomDefaultDisclaimer, NewsroomSettings
from prism_news.publishing import PublishingBlocked

from .factories import ArticlePageFactory, DisclaimerPageFactory, source


@pytest.fixture
def policy_on(prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user(
        "reviewer", "r@x.test", "pw", first_name="Mari", last_name="Saeki", is_staff=True
    )
    group = Group.objects.create(name="AI reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.fixture
def workflow(category, reviewer):
    task = AIReviewTask.objects.create(name="Human review of AI content")
    task.groups.add(*reviewer.groups.all())
    # Approving the last task publishes, which takes the permission to publish.
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=reviewer.groups.get(),
            page=category,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    workflow = Workflow.objects.create(name="AI review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=category, workflow=workflow)
    return workflow


def draft(category, **kwargs):
    values = {"ai_involvement": "analysis", "sources": [source()], "live": False}
    values.update(kwargs)
    return ArticlePageFactory(parent=category, **values)


@pytest.mark.parametrize("involvement", ["analysis", "generated"])
def test_ai_content_needs_review_to_go_live(category, policy_on, involvement, reviewer):
    article = draft(category, ai_involvement=involvement)
    with override("en"), pytest.raises(PublishingBlocked) as refused:
        article.save_revision().publish()
    assert "approved human review" in refused.value.messages[0]
    assert not ArticlePage.objects.get(pk=article.pk).live

    article.record_review(reviewer)
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).live


@pytest.mark.parametrize("involvement", ["none", "assisted"])
def test_lower_levels_need_no_review(category, policy_on, involvement):
    article = draft(category, ai_involvement=involvement)
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).live


def test_a_review_covers_only_the_content_it_saw(category, policy_on, reviewer):
    article = draft(category)
    article.record_review(reviewer)
    article.save_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.review_is_current
    with override("en"):
        assert article.review_state == "Reviewed"
    article.summary = "A different claim."
    assert not article.review_is_current
    with pytest.raises(PublishingBlocked):
        article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).summary == "A short summary of the story."


def test_policy_off_by_default(category):
    draft(category).save_revision().publish()


def test_admin_publish_is_refused_with_a_message(category, policy_on, admin_client, admin_user):
    from .admin_forms import edit_form_data
    from .test_pages import rich_text, streamfield

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    article = draft(category)
    data = edit_form_data(
        admin_client, article, body=streamfield([("paragraph", rich_text("<p>Hi</p>"))])
    )
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]), data, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("was not published" in m and "human review" in m for m in messages), messages
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_approving_the_review_task_records_the_reviewer_and_publishes(
    category, policy_on, workflow, reviewer, admin_user, client
):
    article = draft(category)
    article.save_revision(user=admin_user)
    state = workflow.start(article, admin_user)
    task_state = state.current_task_state.specific
    assert isinstance(task_state.task.specific, AIReviewTask)
    assert task_state.task.specific.get_actions(article, reviewer)

    task_state.task.specific.on_action(task_state, reviewer, "approve", comment="Checked")

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.ai_reviewed_by == reviewer and article.ai_reviewed_at is not None
    assert article.review_is_current
    revision = article.live_revision
    assert revision.content["ai_reviewed_by"] == reviewer.pk  # kept on the revision in history
    ai = client.get(f"/api/v2/pages/{article.pk}/").json()["ai"]
    assert ai["reviewed"] is True and ai["reviewed_by"] == "Mari Saeki" and ai["reviewed_at"]
    html = client.get(article.url).content.decode()
    assert "Mari Saeki" in html


def test_rejecting_sends_the_page_back_with_the_comment(
    category, policy_on, workflow, reviewer, admin_user
):
    article = draft(category)
    article.save_revision(user=admin_user)
    state = workflow.start(article, admin_user)
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="Check the source")
    state.refresh_from_db()
    task_state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert task_state.comment == "Check the source"
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.ai_reviewed_at is None


def test_review_workflow_check(category, prism_settings, workflow, home):
    prism_settings(REQUIRE_AI_REVIEW=True)
    assert check_review_workflow(databases=["default"]) == []
    WorkflowPage.objects.filter(workflow=workflow).delete()
    messages = check_review_workflow(databases=["default"])
    assert [m.id for m in messages] == ["prism_news.W003"]
    assert category.url_path in messages[0].msg
    prism_settings(REQUIRE_AI_REVIEW=False)
    assert check_review_workflow(databases=["default"]) == []


@pytest.mark.parametrize(
    ("involvement", "expected"),
    [
        ("assisted", "assisted-policy"),
        ("analysis", "ai-policy"),
        ("generated", "ai-policy"),
        ("none", None),
    ],
)
def test_disclaimer_follows_the_involvement_level(category, home, involvement, expected):
    settings = NewsroomSettings.for_site(home.get_site())
    for kind, slug in (("ai", "ai-policy"), ("ai_assisted", "assisted-policy")):
        page = DisclaimerPageFactory(parent=home, slug=slug, kind=kind)
        NewsroomDefaultDisclaimer.objects.create(settings=settings, kind=kind, disclaimer=page)
    article = draft(category, ai_involvement=involvement, live=True)
    disclaimer = article.resolved_disclaimer
    assert (disclaimer.slug if disclaimer else None) == expected


def test_html_says_how_the_article_was_made(category, client, reviewer):
    article = draft(category, ai_model="model-x", live=True)
    html = client.get(article.url).content.decode()
    assert "model-x" in html
    article.record_review(reviewer)
    article.save()
    html = client.get(article.url).content.decode()
    assert "Mari Saeki" in html


def test_scheduled_publishing_is_refused_too(category, policy_on):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    article = draft(category)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    with pytest.raises(PublishingBlocked):
        call_command("publish_scheduled")
    assert not ArticlePage.objects.get(pk=article.pk).live
