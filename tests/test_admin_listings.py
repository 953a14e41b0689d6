"""Editors see AI involvement and review state: the article listing and the review queue."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, source


def listed(response):
    return [
        int(pk)
        for pk in re.findall(r'<a href="/admin/pages/(\d+)/edit/"', response.content.decode())
    ]


@pytest.fixture
def articles(home, category, en, django_user_model):
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    reviewer = django_user_model.objects.create_user("r", first_name="Mari", last_name="Saeki")
    reviewed = ArticlePageFactory(
        parent=category, title="Reviewed", ai_involvement="analysis", sources=[source()]
    )
    reviewed.record_review(reviewer)
    reviewed.save()
    waiting = ArticlePageFactory(
        parent=category, title="Waiting", ai_involvement="generated", sources=[source()]
    )
    elsewhere = ArticlePageFactory(
        parent=economy, title="Elsewhere", ai_involvement="analysis", sources=[source()]
    )
    plain = ArticlePageFactory(parent=category, title="Plain")
    waiting_en = translate(waiting, en, title="Waiting (en)")
    return {"reviewed": reviewed, "waiting": waiting, "elsewhere": elsewhere, "plain": plain,
            "waiting_en": waiting_en, "economy": economy}  # fmt: skip


def test_article_listing_shows_badge_and_review_state(admin_client, articles):
    with translation.override("en"):
        response = admin_client.get(reverse("prism_articles:index"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert set(listed(response)) >= {a.pk for k, a in articles.items() if k != "economy"}
    for label in (
        ("AI分析", "AI生成", "人による執筆")
        if "AI分析" in html
        else ("AI analysis", "AI-generated")
    ):
        assert label in html
    assert html.count("prism_news") >= 0


def test_review_states(articles):
    with translation.override("en"):
        assert articles["reviewed"].review_state == "Reviewed"
        assert articles["waiting"].review_state == "Not reviewed"
        assert articles["plain"].review_state == "Not required"
        articles["reviewed"].summary = "Changed."
        assert articles["reviewed"].review_state == "Changed since review"


def test_review_queue_lists_what_awaits_review_filterable(admin_client, articles):
    url = reverse("prism_review_queue:index")
    queue = set(listed(admin_client.get(url)))
    assert queue == {articles["waiting"].pk, articles["elsewhere"].pk, articles["waiting_en"].pk}
    assert set(listed(admin_client.get(url, {"locale": "en"}))) == {articles["waiting_en"].pk}
    by_category = admin_client.get(url, {"category": articles["economy"].pk})
    assert set(listed(by_category)) == {articles["elsewhere"].pk}
    assert set(listed(admin_client.get(url, {"ai_involvement": "generated"}))) == {
        articles["waiting"].pk, articles["waiting_en"].pk,
    }  # fmt: skip
