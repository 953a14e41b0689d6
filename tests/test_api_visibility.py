"""Drafts, scheduled, expired and view-restricted articles never reach an anonymous reader."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from prism_news.models import RelatedArticlePin

from .api_fixtures import API, translate
from .factories import ArticlePageFactory

ARTICLES = f"{API}?type=prism_news.ArticlePage&limit=50"


@pytest.fixture
def hidden(category, en):
    """A visible article pinning four hidden ones, each hidden a different way."""
    visible = ArticlePageFactory(parent=category, title="Visible", tags=["t"])
    draft = ArticlePageFactory(parent=category, title="Draft", tags=["t"], live=False)
    scheduled = ArticlePageFactory(parent=category, title="Scheduled", tags=["t"], live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()  # with go_live_at ahead, this schedules it
    expired = ArticlePageFactory(
        parent=category,
        title="Expired",
        tags=["t"],
        expire_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    private = ArticlePageFactory(parent=category, title="Private", tags=["t"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    pages = {"draft": draft, "scheduled": scheduled, "expired": expired, "private": private}
    for page in pages.values():
        RelatedArticlePin.objects.create(page=visible, article=page)
    # A translation that is itself private.
    visible_en = translate(visible, en, title="Visible (en)")
    PageViewRestriction.objects.create(page=visible_en, restriction_type="login")
    return {"visible": visible, "visible_en": visible_en, **pages}


HIDDEN = ["draft", "scheduled", "expired", "private"]


def everything_public(client, hidden):
    """Every place an article can show up in the API, as text."""
    visible = hidden["visible"]
    responses = [
        client.get(ARTICLES),
        client.get(f"{API}?limit=50"),
        client.get(f"{API}?child_of={visible.get_parent().pk}&limit=50"),
        client.get(f"{API}?type=prism_news.ArticlePage&tag=t"),
        client.get(f"{API}?search=Private"),
        client.get(f"{API}{visible.pk}/"),
        client.get(f"{API}{visible.get_parent().pk}/"),
    ]
    for response in responses:
        assert response.status_code == 200, response.content
    return "\n".join(r.content.decode() for r in responses)


@pytest.mark.parametrize("logged_in", [False, True])
def test_hidden_articles_appear_nowhere(client, hidden, logged_in, django_user_model):
    if logged_in:
        # An editor's session must not change what the public API returns.
        client.force_login(django_user_model.objects.create_superuser("editor", "e@x.test", "pw"))
    text = everything_public(client, hidden)
    assert '"Visible"' in text
    for name in HIDDEN:
        assert f'"{name.capitalize()}"' not in text, name
    assert "Visible (en)" not in text  # the private translation is not offered either
    for name in HIDDEN:
        assert client.get(f"{API}{hidden[name].pk}/").status_code == 404, name
    assert client.get(f"{API}{hidden['visible_en'].pk}/").status_code == 404


def test_related_falls_back_to_visible_articles_only(client, hidden):
    related = client.get(f"{API}{hidden['visible'].pk}/").json()["related"]
    assert [card["title"] for card in related] == []


def test_find_does_not_reveal_hidden_pages(client, hidden):
    for name in HIDDEN:
        response = client.get(f"{API}find/?html_path={hidden[name].url_path.split('/', 2)[2]}")
        assert response.status_code == 404, name
