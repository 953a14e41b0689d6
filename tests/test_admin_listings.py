"""Editors see AI involvement and review state: the article listing and the review queue,
and both agree with what readers are told (the API's ``ai.reviewed``)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask
from wagtail.users.models import UserProfile

from prism_news.admin_listings import waiting_in_review_task
from prism_news.ai_review import ReviewState, latest_state
from prism_news.models import ArticlePage

from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, source


def listed(response):
    return {
        int(pk)
        for pk in re.findall(r'<a href="/admin/pages/(\d+)/edit/"', response.content.decode())
    }


def rows(response):
    """{page id: the text of its row} from an admin listing."""
    html = response.content.decode()
    found = {}
    for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.S):
        match = re.search(r'<a href="/admin/pages/(\d+)/edit/"', row)
        if match:
            found[int(match.group(1))] = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    return found


@pytest.fixture
def english_admin(admin_client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def ai_article(parent, title, involvement="analysis"):
    return ArticlePageFactory(
        parent=parent, title=title, ai_involvement=involvement, sources=[source()]
    )


@pytest.fixture
def articles(home, category, en, reviewer, workflow, admin_user):
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    reviewed = ai_article(category, "Reviewed")
    reviewed.record_review(reviewer)
    reviewed.save()
    stale = ai_article(category, "Stale")  # reviewed, then changed in place (policy off)
    stale.record_review(reviewer)
    stale.save()
    stale.summary = "A claim nobody checked."
    stale.save()
    pending = ai_article(category, "Pending draft")  # live and reviewed, with a new draft
    pending.record_review(reviewer)
    pending.save()
    pending.summary = "A new, unreviewed claim."
    pending.save_revision()
    submitted = ai_article(category, "Submitted")  # reviewed once, now waiting in the task
    submitted.record_review(reviewer)
    submitted.save()
    submitted.save_revision()
    workflow.start(submitted, admin_user)
    waiting = ai_article(category, "Waiting", "generated")
    elsewhere = ai_article(economy, "Elsewhere")
    plain = ArticlePageFactory(parent=category, title="Plain")
    waiting_en = translate(waiting, en, title="Waiting (en)")
    pages = {"reviewed": reviewed, "stale": stale, "pending": pending, "submitted": submitted,
             "waiting": waiting, "elsewhere": elsewhere, "plain": plain,
             "waiting_en": waiting_en}  # fmt: skip
    return {name: ArticlePage.objects.get(pk=page.pk) for name, page in pages.items()} | {
        "economy": economy
    }


def test_article_listing_shows_badge_and_review_state(english_admin, articles):
    response = english_admin.get(reverse("prism_articles:index"))
    assert response.status_code == 200
    found = rows(response)
    expected = {
        "reviewed": ("AI analysis", "Reviewed"),
        "stale": ("AI analysis", "Changed since review"),
        "pending": ("AI analysis", "Draft: Changed since review · Live: Reviewed"),
        "waiting": ("AI-generated", "Not reviewed"),
        "plain": ("Human-written", "Not required"),
    }
    for name, (badge, state) in expected.items():
        row = found[articles[name].pk]
        assert badge in row and state in row, (name, row)


def test_the_review_queue_holds_what_awaits_review(english_admin, articles):
    url = reverse("prism_review_queue:index")
    queue = listed(english_admin.get(url))
    expected = {"stale", "pending", "submitted", "waiting", "elsewhere", "waiting_en"}
    assert queue == {articles[name].pk for name in expected}
    assert listed(english_admin.get(url, {"locale": "en"})) == {articles["waiting_en"].pk}
    by_category = english_admin.get(url, {"category": articles["economy"].pk})
    assert listed(by_category) == {articles["elsewhere"].pk}
    generated = english_admin.get(url, {"ai_involvement": "generated"})
    assert listed(generated) == {articles["waiting"].pk, articles["waiting_en"].pk}


# name: (the review column, in the review queue, readers told it is reviewed)
EXPECTED_REVIEW = {
    "reviewed": ("Reviewed", False, True),
    "stale": ("Changed since review", True, False),
    "pending": ("Draft: Changed since review · Live: Reviewed", True, True),
    # Its draft is the reviewed text, but it waits in the review task.
    "submitted": ("Reviewed", True, True),
    "waiting": ("Not reviewed", True, False),
    "elsewhere": ("Not reviewed", True, False),
    "plain": ("Not required", False, False),
    "waiting_en": ("Not reviewed", True, False),
}


def test_column_queue_and_readers_agree_for_every_article(english_admin, client, articles):
    queue = listed(english_admin.get(reverse("prism_review_queue:index")))
    found = rows(english_admin.get(reverse("prism_articles:index")))
    assert set(EXPECTED_REVIEW) == set(articles) - {"economy"}
    for name, (label, queued, reviewed) in EXPECTED_REVIEW.items():
        page = articles[name]
        # The column shows the label and nothing else from the review states.
        row = found[page.pk]
        assert label in row, (name, row)
        others = {str(state.label) for state in ReviewState if str(state.label) not in label}
        assert not any(other in row for other in others), (name, row)
        with translation.override("en"):
            assert str(latest_state(page).label) in label, name
        assert (page.pk in queue) == queued, name
        ai = client.get(f"/api/v2/pages/{page.pk}/").json()["ai"]
        # Readers are told about the live version: reviewed only if its review covers it.
        assert ai["reviewed"] is reviewed, name
        assert page.review_is_current == page.ai_review_current == reviewed, name
        assert (ai["reviewed_by"] is not None) == reviewed, name


def test_waiting_in_the_review_task_queues_a_reviewed_article_until_the_task_ends(
    english_admin, category, workflow, reviewer, admin_user
):
    url = reverse("prism_review_queue:index")
    article = ai_article(category, "Checked, submitted again")
    article.record_review(reviewer)
    article.save()
    assert waiting_in_review_task() == set()
    assert article.pk not in listed(english_admin.get(url))

    article.save_revision(user=admin_user)
    state = workflow.start(article, admin_user)
    assert latest_state(ArticlePage.objects.get(pk=article.pk)) == ReviewState.REVIEWED
    assert waiting_in_review_task() == {article.pk}
    assert listed(english_admin.get(url)) == {article.pk}

    state.cancel(user=admin_user)
    assert waiting_in_review_task() == set()
    assert article.pk not in listed(english_admin.get(url))

    # A task of another kind (say, a legal check) is not the review task.
    legal = Workflow.objects.create(name="Legal")
    WorkflowTask.objects.create(
        workflow=legal, task=GroupApprovalTask.objects.create(name="Legal check"), sort_order=0
    )
    legal.start(article, admin_user)
    assert waiting_in_review_task() == set()
    assert article.pk not in listed(english_admin.get(url))


def test_a_copy_with_changed_text_is_not_reviewed(articles, admin_user):
    copy = articles["reviewed"].copy(
        update_attrs={"title": "Reviewed, retitled", "slug": "retitled"}, keep_live=False
    )
    copy = ArticlePage.objects.get(pk=copy.pk)
    assert copy.ai_reviewed_at is not None  # the history of the original came along
    assert not copy.ai_review_current and latest_state(copy) == ReviewState.CHANGED
