"""The Japanese admin reads in Japanese: prism_news's listings, the review fields and the
messages of the review task, logged in through Django's test client with the admin in
ja (the site's LANGUAGE_CODE)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from prism_news.models import ArticlePage

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory, source
from .test_four_eyes import FORM_BODY, submitted


def in_japanese(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ja"
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    return response.content.decode()


@pytest.fixture
def japanese_admin(admin_user, settings):
    assert settings.LANGUAGE_CODE == "ja"
    return in_japanese(admin_user)


def test_the_review_queue_says_what_it_is_and_adds_nothing(japanese_admin, category):
    ArticlePageFactory(parent=category, title="分析", ai_involvement="analysis", sources=[source()])
    html = text_of(japanese_admin.get(reverse("prism_review_queue:index")))
    assert "<title>AI記事の確認待ち - " in html
    headings = [" ".join(h.split()) for h in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)]
    assert headings == ["AI記事の確認待ち"]
    assert "を追加" not in html
    assert reverse("prism_review_queue:choose_parent") not in html

    articles = text_of(japanese_admin.get(reverse("prism_articles:index")))
    assert "記事を追加" in articles and "記事 を追加" not in articles


def test_reviewer_fields_say_not_reviewed_yet_instead_of_none(japanese_admin, category):
    article = ArticlePageFactory(
        parent=category, title="分析", ai_involvement="analysis", sources=[source()]
    )
    html = text_of(japanese_admin.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    assert html.count("まだ確認されていません") == 2  # who reviewed, and when
    assert ">None<" not in html and "\nNone\n" not in html


@pytest.fixture
def desk(category, policy_on, workflow, reviewer, django_user_model, settings):
    """As tests/test_four_eyes.py's desk, everyone in Japanese."""
    settings.WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"
    writer = django_user_model.objects.create_user("writer", "w@x.test", "pw", is_staff=True)
    writer.groups.add(*reviewer.groups.all())
    return type("Desk", (), {"category": category, "workflow": workflow, "writer": writer})


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("approve", "「技術同盟の分析」を承認し、公開しました。"),
        ("reject", "「技術同盟の分析」に修正を依頼しました。編集者に差し戻されます。"),
    ],
)
def test_the_review_messages_say_what_happened(desk, reviewer, action, expected):
    article, _task_state = submitted(desk, by=desk.writer)
    client = in_japanese(reviewer)
    data = edit_form_data(client, article, body=FORM_BODY, action="action-workflow-action")
    data["workflow-action-name"] = action
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == [expected]
    assert ArticlePage.objects.get(pk=article.pk).live is (action == "approve")
