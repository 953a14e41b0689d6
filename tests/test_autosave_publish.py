"""Publish on a new page after Wagtail 8's autosave has created it: it publishes or says why.

Autosave posts the create form (as JSON) and the page exists from then on; the editor's
script (``publish_after_autosave.js``, tested in ``test_browser_autosave.py``) sends the
buttons to the edit view it answers with. These drive the server side of both orders
with the test client: Publish sent to the edit view (the normal case), and the create form
sent again (an autosave that answered too late): a message names the draft.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.users.models import UserProfile

from home.models import HomePage
from prism_news import admin_publishing
from prism_news.models import ArticlePage

from .admin_forms import create_form_data, one_new_source

pytestmark = pytest.mark.django_db

BODY = streamfield([("paragraph", rich_text("<p>Body text.</p>"))])
SOURCE = {"title": "Report", "publisher": "Reuters", "url": "https://a.test/"}


@pytest.fixture
def editor(client, django_user_model, prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)
    user = django_user_model.objects.create_superuser("ed", "e@x.test", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the messages in English (the site's default is ja)
    profile.save()
    client.force_login(user)
    return client


def autosaved(client, category, involvement):
    """The create form as autosave sends it, and what it answered."""
    url, data = create_form_data(
        client, category, body=BODY, title="Autosaved", slug="autosaved", summary="S",
        ai_involvement=involvement,
    )  # fmt: skip
    if involvement != "none":
        data.update(one_new_source(**SOURCE))
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return url, data, response.json()


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_publish_after_autosave_publishes_an_article_without_ai(editor, category):
    _, data, answer = autosaved(editor, category, "none")
    data["action-publish"] = "action-publish"
    response = editor.post(answer["url"], data)
    assert response.status_code == 302
    assert ArticlePage.objects.get().live  # one page: autosave's, now live


def test_publish_after_autosave_of_ai_content_says_why_it_is_a_draft(editor, category):
    _, data, answer = autosaved(editor, category, "analysis")
    # What the editor's script writes into the form from autosave's answer.
    data.update(answer["field_updates"])
    data["action-publish"] = "action-publish"
    response = editor.post(answer["url"], data)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[answer["pk"]])
    article = ArticlePage.objects.get()
    assert not article.live and article.sources.count() == 1
    assert any("was not published" in text and "human review" in text for text in texts(response))


@pytest.mark.parametrize("involvement", ["none", "analysis"])
@pytest.mark.parametrize("action", ["action-publish", "action-submit", None])
def test_the_create_form_sent_again_after_autosave_names_the_draft(
    editor, category, involvement, action, workflow
):
    url, data, answer = autosaved(editor, category, involvement)
    if action:
        data[action] = action
    response = editor.post(url, data)  # to the create view: autosave's answer came too late
    assert response.status_code == 200  # the form again, with the slug taken
    article = ArticlePage.objects.get()  # no second page
    assert not article.live
    [warning] = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "autosave had already saved this page as the draft “Autosaved”" in str(warning)
    assert reverse("wagtailadmin_pages:edit", args=[answer["pk"]]) in str(warning)


def test_another_editors_draft_or_a_published_page_is_not_called_autosaved(
    editor, category, django_user_model, client
):
    url, data, _ = autosaved(editor, category, "none")
    someone = django_user_model.objects.create_superuser("other", "o@x.test", "pw")
    client.force_login(someone)
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert not any("autosave" in text for text in texts(response))


def test_the_hosts_page_types_get_no_message(home, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "e@x.test", "pw")
    home.add_child(instance=HomePage(title="Host draft", slug="host-draft", live=False, owner=user))
    request = RequestFactory().post("/", {"slug": "host-draft"})
    request.user = user
    request._messages = []  # a message would fail: a list has no add()
    assert admin_publishing.explain_autosaved_draft(request, home, HomePage) is None
    with pytest.raises(AttributeError):  # the same draft, were it one of ours: a message
        admin_publishing.explain_autosaved_draft(request, home, ArticlePage)
