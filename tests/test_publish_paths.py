"""Every way an article can go live, each through its real entry point.

For each path: unreviewed AI content is not live afterwards (the database row and
the public API agree), no response is a server error, and content the policy
accepts goes live through the same path. Where a path creates a new article, the
accepted case is content that needs no review (a new article cannot carry a
review yet), or a review recorded in code where code can record one.
"""

import contextlib
import datetime
import json
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import (
    APIToken,
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from prism_news.models import ArticlePage
from prism_news.publish_gate import REFUSED_ACTION, PublishingBlocked
from prism_news.translation import translate_instance

from .admin_forms import create_form_data, edit_form_data, one_new_source
from .factories import ArticlePageFactory, source

BODY = streamfield([("paragraph", rich_text("<p>An analysis of the report.</p>"))])
# The admin's form data for the body that article() gives every article.
FORM_BODY = streamfield([("paragraph", rich_text("<p>本文。</p>"))])
ENGLISH = {"技術同盟の分析": "Tech alliance analysis", "要約。": "Summary.", "本文。": "Body."}


@pytest.fixture
def ctx(
    category,
    policy_on,
    workflow,
    reviewer,
    admin_user,
    admin_client,
    client,
    en,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"
    _, key = APIToken.create_token(user=admin_user, name="tests")
    return SimpleNamespace(
        category=category,
        workflow=workflow,
        reviewer=reviewer,
        admin=admin_user,
        admin_client=admin_client,
        client=client,
        en=en,
        bearer={"HTTP_AUTHORIZATION": f"Bearer {key}"},
        # wagtail-localize publishes on commit; tests run inside a transaction.
        on_commit=lambda: django_capture_on_commit_callbacks(execute=True),
    )


def article(ctx, *, reviewed=False, live=False, **values):
    """An AI analysis article with a draft revision; ``reviewed`` records a review of it."""
    fields = {
        "title": "技術同盟の分析",
        "summary": "要約。",
        "body": [("paragraph", "<p>本文。</p>")],
    }
    fields.update(values)
    page = ArticlePageFactory(
        parent=ctx.category, ai_involvement="analysis", sources=[source()], live=False, **fields
    )
    if reviewed:
        page.record_review(ctx.reviewer)
    revision = page.save_revision(user=ctx.admin)
    if live:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def v3(ctx, method, url, payload=None):
    call = getattr(ctx.client, method)
    body = json.dumps(payload) if payload is not None else None
    return call(url, body, content_type="application/json", **ctx.bearer)


# --- The paths. Each takes (ctx, ok) and returns (page id, [responses]).


def admin_create(ctx, ok):
    involvement = "assisted" if ok else "generated"
    url, data = create_form_data(
        ctx.admin_client, ctx.category, body=BODY, title="New", slug="new", summary="S",
        ai_involvement=involvement, **{"action-publish": "action-publish"},
    )  # fmt: skip
    data.update(one_new_source(title="Report", publisher="Reuters", url="https://a.test/"))
    response = ctx.admin_client.post(url, data)
    return ArticlePage.objects.get(slug="new").pk, [response]


def admin_edit(ctx, ok):
    page = article(ctx, reviewed=ok)
    data = edit_form_data(ctx.admin_client, page, body=FORM_BODY)
    return page.pk, [
        ctx.admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    ]


def admin_schedule_then_run(ctx, ok):
    page = article(ctx, reviewed=ok)
    data = edit_form_data(ctx.admin_client, page, body=FORM_BODY)
    data["go_live_at"] = (timezone.now() + datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    response = ctx.admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    with pytest.MonkeyPatch.context() as patch:  # a minute later, publish_scheduled runs
        later = timezone.now() + datetime.timedelta(minutes=2)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    return page.pk, [response]


def publish_scheduled(ctx, ok):
    page = article(ctx, reviewed=ok)
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    call_command("publish_scheduled")
    return page.pk, []


def admin_bulk_publish(ctx, ok):
    page = article(ctx, reviewed=ok)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = ctx.admin_client.post(f"{url}?id={page.pk}", {"include_descendants": ""})
    return page.pk, [response]


def admin_bulk_publish_descendants(ctx, ok):
    page = article(ctx, reviewed=ok)
    ctx.category.save_revision()  # the category itself has a draft to publish too
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = ctx.admin_client.post(f"{url}?id={ctx.category.pk}", {"include_descendants": "on"})
    return page.pk, [response]


def admin_copy(ctx, ok):
    original = article(ctx, reviewed=True, live=True)
    title = original.title if ok else "A new title for the copy"  # changed text: unreviewed
    data = {"new_title": title, "new_slug": "the-copy", "new_parent_page": ctx.category.pk,
            "publish_copies": "on", "copy_subpages": ""}  # fmt: skip
    response = ctx.admin_client.post(reverse("wagtailadmin_pages:copy", args=[original.pk]), data)
    return ArticlePage.objects.get(slug="the-copy").pk, [response]


def copy_action(ctx, ok):
    original = article(ctx, reviewed=True, live=True)
    attrs = {"slug": "the-copy"} | ({} if ok else {"summary": "Something else."})
    copy = CopyPageAction(original, keep_live=True, update_attrs=attrs, user=ctx.admin).execute()
    return copy.pk, []


def v3_copy(ctx, ok):
    original = article(ctx, reviewed=True, live=True)
    payload = {"slug": "the-copy", "keep_live": True} | ({} if ok else {"title": "Retitled"})
    response = v3(ctx, "post", f"/api/v3/pages/{original.pk}/actions/copy/", payload)
    return ArticlePage.objects.get(slug="the-copy").pk, [response]


def v3_patch_publish(ctx, ok):
    page = article(ctx, reviewed=ok)
    meta = {"type": "prism_news.ArticlePage", "action": "publish"}
    response = v3(ctx, "patch", f"/api/v3/pages/{page.pk}/", {"meta": meta})
    return page.pk, [response]


def v3_publish_action(ctx, ok):
    page = article(ctx, reviewed=ok)
    return page.pk, [v3(ctx, "post", f"/api/v3/pages/{page.pk}/actions/publish/")]


def v3_create_publish(ctx, ok):
    """Wagtail 8's v3 writes only fields it can type, and an article's own fields are
    read (not written) through it: creating one there fails validation as a whole,
    reviewed or not. What counts here is that it is a 4xx and nothing goes live."""
    payload = {
        "meta": {"type": "prism_news.ArticlePage", "parent_id": ctx.category.pk,
                 "action": "publish"},
        "title": "Created", "slug": "created", "summary": "S",
        "ai_involvement": "assisted" if ok else "generated",
        "body": [{"type": "paragraph", "value": "<p>Text.</p>"}],
        "sources": [{"title": "T", "publisher": "P", "url": "https://a.test/"}],
    }  # fmt: skip
    response = v3(ctx, "post", "/api/v3/pages/", payload)
    assert response.status_code == 422
    created = ArticlePage.objects.filter(slug="created").first()
    return (created.pk if created else None), [response]


def code_add_child_live(ctx, ok):
    page = ArticlePage(title="Code", slug="code", summary="S", live=True, body=BODY_RAW,
                       ai_involvement="generated", sources=[source()])  # fmt: skip
    if ok:
        page.record_review(ctx.reviewer)
    ctx.category.add_child(instance=page)
    return page.pk, []


BODY_RAW = [("paragraph", "<p>Text.</p>")]


def code_set_live_and_save(ctx, ok):
    page = article(ctx, reviewed=ok)
    page = page.get_latest_revision_as_object()
    page.live = True
    _attempt(page.save)
    return page.pk, []


def code_generic_page_save(ctx, ok):
    page = article(ctx, reviewed=ok)
    if ok:  # the row itself carries the reviewed content
        reviewed = page.get_latest_revision_as_object()
        reviewed.save()
    generic = Page.objects.get(pk=page.pk)
    assert type(generic) is Page
    generic.live = True
    _attempt(generic.save)
    return page.pk, []


def code_revision_publish(ctx, ok):
    page = article(ctx, reviewed=ok)
    _attempt(page.get_latest_revision().publish)
    return page.pk, []


def code_edit_live_in_place(ctx, ok):
    page = article(ctx, reviewed=True, live=True)
    if ok:
        page.seo_title = "Not part of what a reviewer vouches for"
    else:
        page.summary = "An unreviewed claim."
    _attempt(page.save)
    return page.pk, []


def _attempt(call):
    """Run ``call``; a refusal is a PublishingBlocked, never another error."""
    with contextlib.suppress(PublishingBlocked):
        call()


def _translated(ctx, source_page):
    translation = Translation.objects.get(
        source__object_id=source_page.translation_key, target_locale=ctx.en
    )
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=ctx.en,
            context=segment.context,
            defaults={"data": ENGLISH.get(segment.string.data, segment.string.data)},
        )
    return translation


def translate_instance_publish(ctx, ok):
    source_page = article(ctx, reviewed=ok, live=ok)
    reviewer = ctx.reviewer if ok else None

    def run():
        translate_instance(
            source_page, ctx.en, lambda t: ENGLISH.get(t, t), user=ctx.admin, reviewer=reviewer
        )

    with ctx.on_commit():
        _attempt(run)
    target = ArticlePage.objects.filter(translation_key=source_page.translation_key, locale=ctx.en)
    return (target.first().pk if target.exists() else None), []


def _translation_draft(ctx, source_page):
    """What the admin's Translate does, every string translated, saved as a draft."""
    with ctx.on_commit():
        TranslationCreator(ctx.admin, [ctx.en]).create_translations(source_page)
    translation = _translated(ctx, source_page)
    with ctx.on_commit():
        translation.save_target(user=ctx.admin, publish=False)
    return translation, translation.get_target_instance()


def save_target_publish(ctx, ok):
    source_page = article(ctx, reviewed=ok, live=ok)
    translation, target = _translation_draft(ctx, source_page)
    if ok:  # the translated text is reviewed too, as the workflow would record it
        target.record_review(ctx.reviewer)
        target.save()

    def publish():
        with ctx.on_commit():
            translation.save_target(user=ctx.admin, publish=True)

    _attempt(publish)
    return target.pk, []


def localize_editor_publish(ctx, ok):
    """wagtail-localize's editor: Publish submits to review; the reviewer approves."""
    _, target = _translation_draft(ctx, article(ctx, reviewed=ok, live=ok))
    _review_workflow_on(ctx, target.get_parent())
    edit = reverse("wagtailadmin_pages:edit", args=[target.pk])
    responses = [ctx.admin_client.post(edit, {"action": "publish"})]
    target = ArticlePage.objects.get(pk=target.pk)
    if ok:
        state = target.current_workflow_state
        assert state is not None, "a reviewed source's translation goes to review"
        responses.append(_approve(ctx, target, state.current_task_state))
    return target.pk, responses


def stop_sync_then_publish(ctx, ok):
    translation, target = _translation_draft(ctx, article(ctx, reviewed=True, live=True))
    stop = reverse("wagtail_localize:stop_translation", args=[translation.pk])
    responses = [ctx.admin_client.post(f"{stop}?next=/admin/")]
    if ok:  # the translated text gets its review through the workflow first
        _review_workflow_on(ctx, target.get_parent())
        state = ctx.workflow.start(target, ctx.admin)
        responses.append(_approve(ctx, target, state.current_task_state))
    else:
        data = edit_form_data(ctx.admin_client, target, body=FORM_BODY)
        data["summary"] = "Edited after stopping."
        responses.append(
            ctx.admin_client.post(reverse("wagtailadmin_pages:edit", args=[target.pk]), data)
        )
    return target.pk, responses


def workflow_approval(ctx, ok):
    """Approving a workflow: with the review task it records the review; without
    it (a plain group approval) the publication is refused, not a server error."""
    page = article(ctx)
    if not ok:
        plain = Workflow.objects.create(name="Plain approval")
        task = GroupApprovalTask.objects.create(name="Editor approval")
        task.groups.add(*ctx.reviewer.groups.all())
        WorkflowTask.objects.create(workflow=plain, task=task, sort_order=0)
        WorkflowPage.objects.filter(page=ctx.category).update(workflow=plain)
        state = plain.start(page, ctx.admin)
    else:
        state = ctx.workflow.start(page, ctx.admin)
    response = _approve(ctx, page, state.current_task_state)
    if not ok:
        assert PageLogEntry.objects.filter(page=page, action=REFUSED_ACTION).exists()
    return page.pk, [response]


def _review_workflow_on(ctx, page):
    WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": ctx.workflow})
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=ctx.reviewer.groups.get(),
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


def _approve(ctx, page, task_state):
    from django.test import Client

    reviewer_client = Client()
    reviewer_client.force_login(ctx.reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return reviewer_client.post(url, {"comment": "Checked against the source."})


@dataclass(frozen=True)
class Path:
    name: str
    run: object
    # Refused, the article stays live with the reviewed version (it was live before).
    keeps_live_version: bool = False
    # False where no content can go live this way at all (said in the path's docstring).
    accepts: bool = True


PATHS = [
    Path("admin create view, Publish", admin_create),
    Path("admin edit view, Publish", admin_edit),
    Path("admin edit view, schedule, then publish_scheduled", admin_schedule_then_run),
    Path("publish_scheduled", publish_scheduled),
    Path("admin bulk publish", admin_bulk_publish),
    Path("admin bulk publish with descendants", admin_bulk_publish_descendants),
    Path("admin copy view, publish copies", admin_copy),
    Path("CopyPageAction(keep_live=True)", copy_action),
    Path("v3 actions/copy", v3_copy),
    Path("v3 PATCH action=publish", v3_patch_publish),
    Path("v3 actions/publish", v3_publish_action),
    Path("v3 POST action=publish", v3_create_publish, accepts=False),
    Path("code: add_child(instance=ArticlePage(live=True))", code_add_child_live),
    Path("code: page.live = True; page.save()", code_set_live_and_save),
    Path("code: a generic Page's live = True; save()", code_generic_page_save),
    Path("code: revision.publish()", code_revision_publish),
    Path("code: editing a live article in place", code_edit_live_in_place, True),
    Path("translate_instance(publish=True)", translate_instance_publish),
    Path("Translation.save_target(publish=True)", save_target_publish),
    Path("wagtail-localize editor, Publish, then review", localize_editor_publish),
    Path("stop synchronising, then edit and publish", stop_sync_then_publish),
    Path("workflow approval", workflow_approval),
]


def assert_no_server_error(responses):
    for response in responses:
        assert response.status_code < 500, response.content[:500]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_unreviewed_ai_content_does_not_go_live(ctx, path):
    pk, responses = path.run(ctx, ok=False)
    assert_no_server_error(responses)
    if pk is None:
        return  # nothing was created at all (the v3 create was refused as a whole)
    page = ArticlePage.objects.get(pk=pk)
    if path.keeps_live_version:
        assert page.live and page.summary == "要約。" and page.review_is_current
        assert ctx.client.get(f"/api/v2/pages/{pk}/").json()["summary"] == "要約。"
        return
    assert not page.live and page.live_revision_id is None, path.name
    assert ctx.client.get(f"/api/v2/pages/{pk}/").status_code == 404


ACCEPTING = [p for p in PATHS if p.accepts]


@pytest.mark.parametrize("path", ACCEPTING, ids=[p.name for p in ACCEPTING])
def test_accepted_content_goes_live_through_the_same_path(ctx, path):
    pk, responses = path.run(ctx, ok=True)
    assert_no_server_error(responses)
    page = ArticlePage.objects.get(pk=pk)
    assert page.live, path.name
    data = ctx.client.get(f"/api/v2/pages/{pk}/").json()
    if page.needs_human_review:
        assert data["ai"]["reviewed"] is True and data["ai"]["reviewed_by"] == "Mari Saeki"
