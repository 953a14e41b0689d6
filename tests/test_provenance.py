"""Human review of AI content: the workflow task, the publishing policy, what readers see."""

import pytest
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import WorkflowPage
from wagtail.users.models import UserProfile

from prism_news.checks import check_review_workflow
from prism_news.models import AIReviewTask, ArticlePage, NewsroomDefaultDisclaimer, NewsroomSettings
from prism_news.publish_gate import PublishingBlocked

from .factories import ArticlePageFactory, DisclaimerPageFactory, source


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
    article = draft(category)
    assert article.needs_human_review and not article.review_is_current
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).live


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


def test_a_refused_scheduled_publication_stays_scheduled_and_the_run_goes_on(
    category, policy_on, reviewer, admin_client, admin_user
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import PageLogEntry

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    due = timezone.now() - datetime.timedelta(minutes=1)
    blocked, fine, also_fine = draft(category), draft(category), draft(category, title="Third")
    for article in (fine, also_fine):
        article.record_review(reviewer)
    revisions = {}
    for article in (blocked, fine, also_fine):  # the blocked one is due first
        revision = article.save_revision()
        revision.approved_go_live_at = due
        revision.save()
        revisions[article.pk] = revision
        due += datetime.timedelta(seconds=1)

    call_command("publish_scheduled")

    assert ArticlePage.objects.get(pk=fine.pk).live
    assert ArticlePage.objects.get(pk=also_fine.pk).live
    assert not ArticlePage.objects.get(pk=blocked.pk).live
    revisions[blocked.pk].refresh_from_db()
    assert revisions[blocked.pk].approved_go_live_at is not None  # still scheduled
    entry = PageLogEntry.objects.get(page=blocked, action="prism_news.publish_refused")
    with override("en"):
        assert "human review" in str(entry.message)  # what page history shows
        # The dashboard names it; its page history says why.
        dashboard = admin_client.get("/admin/").content.decode()
    assert "scheduled publication is overdue" in dashboard and blocked.title in dashboard

    call_command("publish_scheduled")  # the next run tries again, and refuses again
    assert (
        PageLogEntry.objects.filter(page=blocked, action="prism_news.publish_refused").count() == 2
    )


def test_the_fingerprint_covers_what_readers_read_and_nothing_else(category, reviewer):
    from prism_news.models import ArticleSource

    article = draft(category, body=[("paragraph", "<p>本文。</p>")])
    article.record_review(reviewer)
    same = ArticlePage.objects.get(pk=article.pk)
    same.body = [("paragraph", '<p data-block-key="k1">本文。</p>')]  # new ids and keys
    same.seo_title = "Not shown in the article"
    assert same.content_fingerprint() == article.content_fingerprint()
    changes = {
        "title": "Another title",
        "summary": "Another summary.",
        "body": [("paragraph", "<p>本文!</p>")],
        "hero_image_caption": "A caption",
        "hero_image_alt": "Alt text",
        "ai_model": "another-model",
        "ai_involvement": "generated",
        "sources": [ArticleSource(title="Other", publisher="AP", url="https://apnews.com/")],
    }
    for name, value in changes.items():
        changed = ArticlePage.objects.get(pk=article.pk)
        changed.body = article.body
        setattr(changed, name, value)
        assert changed.content_fingerprint() != article.content_fingerprint(), name


def test_the_stored_review_flag_follows_partial_saves_too(category, reviewer):
    article = draft(category)
    article.record_review(reviewer)
    article.save()
    assert ArticlePage.objects.get(pk=article.pk).ai_review_current
    article.summary = "Changed in a partial save."
    article.save(update_fields=["summary"])
    assert not ArticlePage.objects.get(pk=article.pk).ai_review_current


def test_finish_action_check(settings, prism_settings):
    from prism_news.checks import check_finish_workflow_action

    prism_settings(REQUIRE_AI_REVIEW=True)
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail.workflows.publish_workflow_state"
    assert [m.id for m in check_finish_workflow_action()] == ["prism_news.W004"]
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"
    assert check_finish_workflow_action() == []
    prism_settings(REQUIRE_AI_REVIEW=False)
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail.workflows.publish_workflow_state"
    assert check_finish_workflow_action() == []


def test_bulk_publish_names_what_it_refused(category, policy_on, reviewer, admin_client):
    blocked = draft(category, title="Unreviewed one")
    fine = draft(category, title="Reviewed one")
    fine.record_review(reviewer)
    for article in (blocked, fine):
        article.save_revision()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = admin_client.post(
        f"{url}?id={blocked.pk}&id={fine.pk}", {"include_descendants": ""}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Unreviewed one" in m for m in messages), messages
    assert not ArticlePage.objects.get(pk=blocked.pk).live
    assert ArticlePage.objects.get(pk=fine.pk).live


def test_v3_says_why_it_refused(category, policy_on, admin_user, client):
    from wagtail.models import APIToken

    _, key = APIToken.create_token(user=admin_user, name="tests")
    article = draft(category)
    article.save_revision()
    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/publish/",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    from prism_news.publish_gate import Blocker

    reasons = set()
    for language in ("en", "ja"):
        with override(language):
            reasons.add(str(Blocker(Blocker.NEEDS_REVIEW)))
    assert response.json()["errors"][0]["msg"] in reasons
