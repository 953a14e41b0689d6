"""Publishing a translation of AI content from wagtail-localize's editor: one outcome and
one message, and the review's actions (submit, approve) in the editor itself.

Every request is a logged-in POST or GET to the URL wagtail-localize's editor lives at
(Wagtail's page edit view, which wagtail-localize's ``before_edit_page`` hook takes over).
"""

import re
from pathlib import Path

import pytest
import wagtail_localize
from django.contrib.auth.models import Permission
from django.contrib.messages import constants
from django.test import Client
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import GroupPagePermission, WorkflowPage, WorkflowState
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from prism_news.admin_translation_review import REVIEW_FIELD, SENT_TO_REVIEW
from prism_news.checks import check_translation_editor_template
from prism_news.models import ArticlePage, WebhookEndpoint
from prism_news.webhooks.events import EVENT_TYPES

from .factories import ArticlePageFactory, source
from .test_caching import CACHE_ON
from .test_translation import translate_strings
from .webhook_receiver import SECRET, run_worker

ENGLISH = {
    "技術同盟": "Tech alliance",
    "gijutsu-doumei": "tech-alliance",
    "要約。": "Summary.",
    "本文。": "Body.",
}


@pytest.fixture
def desk(category, en, workflow, reviewer, admin_user, prism_settings, settings, django_user_model,
         django_capture_on_commit_callbacks):  # fmt: skip
    """A reviewed, live AI analysis in ja; its en translation (every string translated,
    nothing saved yet) under a section with the review workflow; the translator (a
    superuser), the reviewer and an editor who is no reviewer."""
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"
    prism_settings(REQUIRE_AI_REVIEW=True)
    story = ArticlePageFactory(
        parent=category, title="技術同盟", slug="gijutsu-doumei", summary="要約。",
        body=[("paragraph", "<p>本文。</p>")], ai_involvement="analysis", sources=[source()],
    )  # fmt: skip
    story.record_review(reviewer)
    story.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(admin_user, [en]).create_translations(story)
    translation = Translation.objects.get(source__object_id=story.translation_key, target_locale=en)
    translate_strings(translation, ENGLISH)
    page = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    en_section = page.get_parent()
    WorkflowPage.objects.create(page=en_section, workflow=workflow)
    editor = django_user_model.objects.create_user("editor", "e@x.test", "pw", is_staff=True)
    for user in (reviewer, editor):
        group = user.groups.first()
        if group is None:
            group = user.groups.create(name="Translators")
            group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in ("change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=group, page=en_section,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )  # fmt: skip

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    def post(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(edit_url(page), data, follow=True)

    return type("Desk", (), {
        "story": story, "page": page, "translation": translation, "workflow": workflow,
        "translator": client_for(admin_user), "admin": admin_user,
        "reviewer": client_for(reviewer), "reviewer_user": reviewer,
        "editor": client_for(editor), "post": staticmethod(post),
    })  # fmt: skip


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def the_message(response):
    """The one message the response shows (fails when there are none or several)."""
    shown = list(response.context["messages"])
    assert len(shown) == 1, [str(m) for m in shown]
    return shown[0].level, str(shown[0])


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def notice(response):
    """The review notice above the editor: its text and its button's form fields."""
    html = response.content.decode()
    found = re.search(r"<section[^>]*data-prism-translation-review.*?</section>", html, re.S)
    assert found, "no review notice in the translation editor"
    block = found.group(0)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', block))
    fields.pop("csrfmiddlewaretoken", None)
    button = re.search(r"<button[^>]*>(.*?)</button>", block, re.S)
    return block, fields, button.group(1).strip() if button else None


# --- Publish in the editor


def test_publish_refused_saves_a_draft_submits_it_and_says_so_once(desk):
    response = desk.post(desk.translator, {"action": "publish"})

    assert response.status_code == 200
    assert response.redirect_chain == [(edit_url(desk.page), 302)]
    level, text = the_message(response)
    assert level == constants.WARNING
    page = fresh(desk.page)
    with override("ja"):  # the admin's language (LANGUAGE_CODE)
        assert text == str(SENT_TO_REVIEW) % {"title": "Tech alliance", "workflow": "AI review"}
    assert "Published" not in text  # wagtail-localize's own message never comes
    assert not page.live and page.live_revision_id is None
    assert page.get_latest_revision_as_object().title == "Tech alliance"
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == desk.admin


def test_the_message_is_in_the_admin_language(desk):
    with override("en"):
        english = str(SENT_TO_REVIEW)
    response = desk.post(desk.translator, {"action": "publish"})
    _, text = the_message(response)
    assert "下書き" in text
    assert text != english % {"title": "Tech alliance", "workflow": "AI review"}


def test_publish_again_while_in_review_unchanged(desk):
    desk.post(desk.translator, {"action": "publish"})
    state = fresh(desk.page).current_workflow_state

    level, text = the_message(desk.post(desk.translator, {"action": "publish"}))

    assert level == constants.WARNING and "AI review" in text
    assert fresh(desk.page).current_workflow_state == state  # the same review goes on


def test_publish_again_with_changed_text_restarts_the_review(desk):
    """A review vouches for the revision that was submitted: changed text is submitted
    afresh (Wagtail's "restart workflow"), so the reviewer approves what goes live."""
    desk.post(desk.translator, {"action": "publish"})
    first = fresh(desk.page).current_workflow_state
    StringTranslation.objects.filter(data="Summary.").update(data="A summary.")

    level, text = the_message(desk.post(desk.translator, {"action": "publish"}))

    assert level == constants.WARNING and "AI review" in text
    page = fresh(desk.page)
    first.refresh_from_db()
    assert first.status == WorkflowState.STATUS_CANCELLED
    state = page.current_workflow_state
    assert state != first and state.current_task_state.revision == page.get_latest_revision()
    assert page.get_latest_revision_as_object().summary == "A summary." and not page.live


def test_publish_with_untranslated_text_is_one_error_and_no_review(desk):
    StringTranslation.objects.filter(data="tech-alliance").delete()

    response = desk.post(desk.translator, {"action": "publish"})

    level, text = the_message(response)
    assert level == constants.ERROR
    assert "gijutsu-doumei" in text  # names the untranslated slug
    page = fresh(desk.page)
    assert not page.live and page.current_workflow_state is None
    assert page.get_latest_revision_as_object().title == "Tech alliance"  # the work is kept


# --- The notice and its actions


def test_the_editor_offers_submit_for_review(desk):
    response = desk.translator.get(edit_url(desk.page))

    assert response.status_code == 200
    html = response.content.decode()
    assert "js-translation-editor" in html  # still wagtail-localize's editor
    _, fields, button = notice(response)
    assert fields == {REVIEW_FIELD: "submit"} and button == "確認に提出"


def test_submit_for_review_from_the_editor(desk):
    response = desk.post(desk.translator, {REVIEW_FIELD: "submit"})

    level, text = the_message(response)
    assert level == constants.SUCCESS and "AI review" in text
    page = fresh(desk.page)
    assert page.workflow_in_progress and not page.live
    assert page.get_latest_revision_as_object().title == "Tech alliance"
    # The submitter sees where it stands, and no Approve (four eyes): only "Submit again".
    block, fields, button = notice(desk.translator.get(edit_url(desk.page)))
    assert "Human review of AI content" in block
    assert fields == {REVIEW_FIELD: "submit"} and button == "もう一度提出"
    # Submitted again unchanged: the same review goes on, and says so.
    level, _ = the_message(desk.post(desk.translator, fields))
    assert level == constants.INFO and fresh(desk.page).workflow_in_progress


def approve(desk, client):
    """The reviewer's notice, then its button, as a browser sends it."""
    _, fields, button = notice(client.get(edit_url(desk.page)))
    assert fields.get(REVIEW_FIELD) == "approve", fields
    return button, desk.post(client, fields)


def test_a_reviewer_approves_in_the_editor_and_it_is_published(
    desk, receiver, client, prism_settings
):
    prism_settings(REQUIRE_AI_REVIEW=True, **CACHE_ON)
    WebhookEndpoint.objects.create(
        name="Front end", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )
    api = f"/api/v2/pages/{desk.page.pk}/"
    desk.post(desk.translator, {REVIEW_FIELD: "submit"})
    assert client.get(api).status_code == 404  # and that answer is cached

    button, response = approve(desk, desk.reviewer)

    assert button == "承認して公開"
    level, text = the_message(response)
    assert level == constants.SUCCESS and "Tech alliance" in text
    page = fresh(desk.page)
    assert page.live and not page.has_unpublished_changes and page.title == "Tech alliance"
    assert page.ai_reviewed_by == desk.reviewer_user and page.review_is_current
    assert page.current_workflow_state is None
    # As on any publish: the cached answer is gone, and the front end is told.
    data = client.get(api).json()
    assert data["title"] == "Tech alliance" and data["ai"]["reviewed"] is True
    run_worker()
    events = {(r.json["type"], r.json["page"]["id"]) for r in receiver.requests}
    assert {("translation.published", page.pk), ("review.approved", page.pk)} <= events


def test_someone_who_is_no_reviewer_cannot_approve(desk):
    desk.post(desk.translator, {REVIEW_FIELD: "submit"})
    task_state = fresh(desk.page).current_workflow_state.current_task_state
    _, fields, button = notice(desk.editor.get(edit_url(desk.page)))
    assert fields.get(REVIEW_FIELD) != "approve" and button != "承認して公開"

    approving = {REVIEW_FIELD: "approve", "task_state": task_state.pk}
    # Not a reviewer: Wagtail's answer to a permission error (back to the dashboard).
    response = desk.editor.post(edit_url(desk.page), approving)
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    # A reviewer (a superuser here) who submitted it: four eyes, said once.
    level, text = the_message(desk.post(desk.translator, approving))
    assert level == constants.ERROR and "あなたが確認に提出しました" in text

    page = fresh(desk.page)
    assert not page.live and page.workflow_in_progress
    assert not page.get_latest_revision_as_object().review_is_current


def test_approve_refuses_text_changed_after_it_was_submitted(desk):
    desk.post(desk.translator, {REVIEW_FIELD: "submit"})
    StringTranslation.objects.filter(data="Body.").update(data="Another body.")

    _, response = approve(desk, desk.reviewer)

    level, text = the_message(response)
    assert level == constants.ERROR
    page = fresh(desk.page)
    assert not page.live and page.workflow_in_progress
    assert not page.get_latest_revision_as_object().review_is_current
    # Submitted again, the new text is what the reviewer approves, and it goes live.
    level, _ = the_message(desk.post(desk.translator, {REVIEW_FIELD: "submit"}))
    assert level == constants.SUCCESS
    _, response = approve(desk, desk.reviewer)
    assert the_message(response)[0] == constants.SUCCESS
    page = fresh(desk.page)
    assert page.live and page.body.raw_data[0]["value"] == "<p>Another body.</p>"


def test_approve_of_a_review_that_moved_on_does_nothing(desk):
    desk.post(desk.translator, {REVIEW_FIELD: "submit"})

    response = desk.post(desk.reviewer, {REVIEW_FIELD: "approve", "task_state": "not-a-number"})

    assert the_message(response)[0] == constants.ERROR
    assert fresh(desk.page).workflow_in_progress and not fresh(desk.page).live


def test_an_unknown_review_action_is_a_bad_request(desk):
    response = desk.translator.post(edit_url(desk.page), {REVIEW_FIELD: "publish-now"})
    assert response.status_code == 400
    assert not fresh(desk.page).live and fresh(desk.page).current_workflow_state is None


def test_changes_requested_then_submitted_again(desk):
    desk.post(desk.translator, {REVIEW_FIELD: "submit"})
    state = fresh(desk.page).current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, desk.reviewer_user, "reject")

    _, fields, button = notice(desk.translator.get(edit_url(desk.page)))
    assert fields == {REVIEW_FIELD: "submit"}
    response = desk.post(desk.translator, fields)

    assert the_message(response)[0] == constants.SUCCESS
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # the same workflow, resumed


# --- What this leans on in wagtail-localize (not promised by it)


def test_wagtail_localize_internals_we_depend_on():
    """The editor's Publish button posts ``action=publish`` to the page's edit URL, and
    the editor renders ``wagtail_localize/admin/edit_translation.html`` with a
    ``content`` block, which prism_news's template of that name extends."""
    package = Path(wagtail_localize.__file__).parent
    script = (package / "static/wagtail_localize/js/wagtail-localize.js").read_text()
    assert 'name:"action",value:"publish"' in script
    view = (package / "views/edit_translation.py").read_text()
    assert 'template = "wagtail_localize/admin/edit_translation.html"' in view
    assert 'if request.POST.get("action") == "publish":' in view
    template = (package / "templates/wagtail_localize/admin/edit_translation.html").read_text()
    assert "{% block content %}" in template


def test_a_check_says_when_the_editor_would_have_no_notice(settings, tmp_path, prism_settings):
    """W011: another template of wagtail-localize's editor found first (prism_news after
    wagtail_localize in INSTALLED_APPS has the same effect)."""
    prism_settings(REQUIRE_AI_REVIEW=True)
    assert check_translation_editor_template() == []
    replacement = tmp_path / "wagtail_localize/admin/edit_translation.html"
    replacement.parent.mkdir(parents=True)
    replacement.write_text("{% block content %}{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    [warning] = check_translation_editor_template()
    assert warning.id == "prism_news.W011" and "INSTALLED_APPS" in warning.hint
    prism_settings(REQUIRE_AI_REVIEW=False)
    assert check_translation_editor_template() == []
