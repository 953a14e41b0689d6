"""The editor's review flow in a real browser (Debian's chromium through Playwright).

Create an AI analysis article, press Publish: refused and not live. Submit it to the
review workflow; a reviewer approves it: live, with the reviewer recorded. Translate
it, leave the slug untranslated, press Publish in wagtail-localize's editor: a
message names the slug. Nothing on the way (login, dashboard, page editor, workflow,
wagtail-localize's editor) is refused by the admin's Content-Security-Policy.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from prism_news.models import AIReviewTask, ArticlePage

from . import csp_watch
from .api_fixtures import translate

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/prism-news-browser"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
    # A live server thread reads what the test writes; restore the migrations' data after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(browser, live_server, username, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    csp_watch.watch(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    csp_watch.assert_none(context, "admin login and dashboard", page)
    return page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def message_texts(page):
    return " ".join(page.locator(".messages, [data-w-messages]").all_inner_texts())


@pytest.fixture
def newsroom_setup(home, category, en, prism_settings, django_user_model):
    prism_settings(REQUIRE_AI_REVIEW=True)
    editor = django_user_model.objects.create_superuser("editor", "e@x.test", "pw-editor")
    reviewer = django_user_model.objects.create_user(
        "reviewer", "r@x.test", "pw-reviewer", first_name="Mari", last_name="Saeki",
        is_staff=True,
    )  # fmt: skip
    for user in (editor, reviewer):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    group = Group.objects.create(name="AI reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reviewer.groups.add(group)
    task = AIReviewTask.objects.create(name="Human review of AI content")
    task.groups.add(group)
    workflow = Workflow.objects.create(name="AI review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    en_category = translate(category, en)
    for page in (category, en_category):
        WorkflowPage.objects.create(page=page, workflow=workflow)
        for codename in ("change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group,
                page=page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    return {"category": category, "reviewer": reviewer}


def test_an_editor_cannot_publish_unreviewed_ai_content_and_a_reviewer_can(
    browser, live_server, newsroom_setup, en
):
    category = newsroom_setup["category"]
    page = log_in(browser, live_server, "editor", "pw-editor")

    # 1. Create an AI analysis article and press Publish.
    page.goto(f"{live_server.url}/admin/pages/add/prism_news/articlepage/{category.pk}/")
    page.fill("#id_title", "技術同盟の分析")
    page.fill("#id_summary", "米国主導の技術同盟についての分析。")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("同盟は供給網の再編を目指している。")
    page.get_by_role("tab", name="AI & sources").click()
    page.select_option("#id_ai_involvement", "analysis")
    page.get_by_role("button", name="Add source").click()
    page.fill("#id_sources-0-title", "Pax Silica and the new technology order")
    page.fill("#id_sources-0-publisher", "The Diplomat")
    page.fill("#id_sources-0-url", "https://thediplomat.com/")
    page.get_by_role("tab", name="Promote").click()
    page.fill("#id_slug", "gijutsu-doumei")
    csp_watch.assert_none(page.context, "new article's editor", page)
    page.locator("footer [data-w-dropdown-target=toggle], footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("networkidle")
    shot(page, "1-publish-refused")
    assert "was not published" in message_texts(page)
    assert "human review" in message_texts(page)
    article = ArticlePage.objects.get(slug="gijutsu-doumei")
    assert not article.live and article.live_revision_id is None
    assert page.context.request.get(f"{live_server.url}/gijutsu-doumei/").status in (404,)

    # 2. Submit it to the review workflow.
    page.locator("footer [data-w-dropdown-target=toggle], footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Submit to AI review").click()
    page.wait_for_load_state("networkidle")
    shot(page, "2-submitted")
    csp_watch.assert_none(page.context, "page editor after publish and submit", page)
    assert ArticlePage.objects.get(pk=article.pk).workflow_in_progress

    # 3. The reviewer approves it, from the page's editor.
    reviewer_page = log_in(browser, live_server, "reviewer", "pw-reviewer")
    reviewer_page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    shot(reviewer_page, "3-reviewer-edit")
    reviewer_page.locator(
        "footer [data-w-dropdown-target=toggle], footer .w-dropdown__toggle"
    ).first.click()
    shot(reviewer_page, "3-reviewer-menu")
    reviewer_page.get_by_role("button", name="Approve and Publish", exact=True).click()
    reviewer_page.wait_for_load_state("networkidle")
    shot(reviewer_page, "3-approved")
    csp_watch.assert_none(reviewer_page.context, "reviewer's editor and approval", reviewer_page)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.ai_reviewed_by == newsroom_setup["reviewer"]
    public = page.context.request.get(f"{live_server.url}{article.url}")
    assert public.status == 200 and "Mari Saeki" in public.text()

    # 4. Translate it, leave the slug untranslated, and press Publish.
    page.goto(f"{live_server.url}/admin/localize/submit/page/{article.pk}/")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state("networkidle")
    csp_watch.assert_none(page.context, "wagtail-localize's submit form", page)
    translation = Translation.objects.get(source__object_id=article.translation_key)
    english = {
        "技術同盟の分析": "An analysis of the tech alliance",
        "米国主導の技術同盟についての分析。": "An analysis of the US-led tech alliance.",
        "同盟は供給網の再編を目指している。": "The alliance aims to reshape supply chains.",
    }
    segments = StringSegment.objects.filter(source=translation.source).select_related("string")
    for segment in segments:
        if segment.string.data in english:
            StringTranslation.objects.create(
                translation_of=segment.string, locale=en, context=segment.context,
                data=english[segment.string.data], translation_type="manual",
            )  # fmt: skip
    en_article = ArticlePage.objects.get(translation_key=article.translation_key, locale=en)
    page.goto(f"{live_server.url}/admin/pages/{en_article.pk}/edit/")
    csp_watch.assert_none(page.context, "wagtail-localize's translation editor", page)
    page.get_by_role("button", name="Publish").first.click()
    page.wait_for_load_state("networkidle")
    shot(page, "4-translation-refused")
    csp_watch.assert_none(page.context, "wagtail-localize's editor after publish", page)
    assert "not translated yet: Slug “gijutsu-doumei”" in message_texts(page)
    assert not ArticlePage.objects.get(pk=en_article.pk).live
