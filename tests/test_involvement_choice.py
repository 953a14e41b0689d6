"""A new article's AI involvement is chosen by its editor, never defaulted.

The model keeps ``none`` as its default (for code and rows that exist); the editor's
create form starts with no involvement and refuses to save, publish, autosave or
preview a new article until one is chosen. Existing articles, imports and
translations are unchanged.
"""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.users.models import UserProfile
from wagtail_localize.operations import TranslationCreator

from prism_news.forms import INVOLVEMENT_REQUIRED
from prism_news.models import ArticlePage

from .admin_forms import create_form_data, edit_form_data, one_new_source
from .factories import ArticlePageFactory, source

BODY = streamfield([("paragraph", rich_text("<p>An analysis of the report.</p>"))])
SOURCE = {"title": "Report", "publisher": "Reuters", "url": "https://a.test/"}


@pytest.fixture
def editor(admin_client, admin_user, policy_on):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def involvement_options(html):
    """The involvement select's options as (value, selected)."""
    select = re.search(r'<select name="ai_involvement".*?</select>', html, re.S).group(0)
    return [
        (m.group("value"), bool(m.group("selected")))
        for m in re.finditer(r'<option value="(?P<value>[^"]*)"(?P<selected> selected)?', select)
    ]


def new_article_form(editor, category, **fields):
    url, data = create_form_data(
        editor, category, body=BODY, title="New story", slug="new-story", summary="S", **fields
    )
    data.update(one_new_source(**SOURCE))
    return url, data


def test_the_create_form_starts_with_no_involvement(editor, category):
    html = editor.get(f"/admin/pages/add/prism_news/articlepage/{category.pk}/").content.decode()
    options = involvement_options(html)
    assert options[0] == ("", True)  # the blank choice, selected
    assert [v for v, _ in options[1:]] == ["none", "assisted", "analysis", "generated"]
    assert not any(selected for _, selected in options[1:])


@pytest.mark.parametrize(
    "action",
    ["action-publish", None],  # Publish, and Save draft
)
def test_an_article_left_unchosen_is_neither_published_nor_saved(editor, category, action):
    url, data = new_article_form(editor, category)
    assert data["ai_involvement"] == ""  # what the browser sends when nobody chose
    if action:
        data[action] = action
    response = editor.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["ai_involvement"] == [str(INVOLVEMENT_REQUIRED)]
    assert not ArticlePage.objects.exists()


def test_autosave_and_preview_of_a_new_article_wait_for_the_choice(editor, category):
    url, data = new_article_form(editor, category)
    answer = editor.post(url, data, HTTP_ACCEPT="application/json").json()
    assert answer["success"] is False and not ArticlePage.objects.exists()
    preview_url = f"/admin/pages/add/prism_news/articlepage/{category.pk}/preview/"
    assert editor.post(preview_url, data).json()["is_valid"] is False

    data["ai_involvement"] = "generated"
    answer = editor.post(url, data, HTTP_ACCEPT="application/json").json()
    assert answer["success"] is True
    assert ArticlePage.objects.get().ai_involvement == "generated"


def test_a_chosen_ai_level_is_still_held_for_review_in_bulk(editor, category, client):
    """The issue's path: a new AI article saved as a draft, then bulk-published."""
    url, data = new_article_form(editor, category, ai_involvement="generated")
    editor.post(url, data)
    article = ArticlePage.objects.get()
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    assert editor.post(f"{bulk}?id={article.pk}", {"include_descendants": ""}).status_code < 500
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 404


def test_an_existing_article_keeps_its_involvement_in_the_editor(editor, category):
    article = ArticlePageFactory(parent=category, ai_involvement="none")
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    options = involvement_options(html)
    assert ("none", True) in options and "" not in [v for v, _ in options]
    data = edit_form_data(editor, article, body=BODY, action=None)
    assert (
        editor.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data).status_code == 302
    )
    assert ArticlePage.objects.get(pk=article.pk).ai_involvement == "none"


def test_an_import_line_must_state_the_involvement(category):
    line = {
        "external_id": "x-1", "locale": "ja", "category": "politics", "title": "T",
        "summary": "S", "body": [{"type": "paragraph", "value": "<p>B</p>"}], "tags": [],
        "sources": [{"title": "R", "publisher": "P", "url": "https://a.test/"}],
        "ai_model": "",
    }  # fmt: skip
    err = io.StringIO()
    stdin = io.StringIO(json.dumps(line) + "\n")
    with pytest.raises(CommandError):
        call_command("import_articles", "-", stdin=stdin, stdout=io.StringIO(), stderr=err)
    assert "line 1: ai_involvement:" in err.getvalue()
    assert not ArticlePage.objects.exists()


def test_a_translation_keeps_the_sources_involvement(
    category, en, admin_user, admin_client, django_capture_on_commit_callbacks
):
    story = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(admin_user, [en]).create_translations(story)
    translation = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    assert translation.ai_involvement == "analysis"
    # wagtail-localize's editor opens it (the field is synchronised, not overridable).
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk]))
    assert edit.status_code == 200
