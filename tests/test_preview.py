"""Headless preview: the editor's Preview opens the front end with a token, and
``/api/v2/page_preview/`` serves the draft behind it, in the detail shape.
"""

import re
import time
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail_headless_preview.models import PagePreview
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from prism_news.api.preview import NOT_FOUND
from prism_news.models import ArticlePage, CategoryIndexPage
from prism_news.preview import HEADLESS_MODE, TEMPLATE_MODE

from .admin_forms import create_form_data, edit_form_data
from .api_fixtures import translate
from .factories import ArticlePageFactory, DisclaimerPageFactory

PREVIEW_API = "/api/v2/page_preview/"
DRAFT_BODY = streamfield([("paragraph", rich_text("<p>The draft's own paragraph.</p>"))])


def client_url(response):
    """The front end URL in the preview page Wagtail shows (the library's iframe)."""
    assert response.status_code == 200
    return unescape(re.search(r'<iframe src="([^"]+)"', response.content.decode()).group(1))


def token_of(url):
    query = parse_qs(urlsplit(url).query)
    return {"content_type": query["content_type"][0], "token": query["token"][0]}


def preview_edit(client, page, **changes):
    """What the editor's preview panel does: POST the form, GET the headless mode."""
    data = edit_form_data(client, page, body=DRAFT_BODY, action=None)
    data.update(changes)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, data).json() == {"is_valid": True, "is_available": True}
    return client_url(client.get(url, {"mode": HEADLESS_MODE}))


def assert_never_cached(response):
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


@pytest.fixture
def article(category):
    return ArticlePageFactory(parent=category, title="Live title", slug="story")


def test_preview_serves_the_unsaved_draft_in_the_detail_shape(admin_client, client, article):
    revisions = article.revisions.count()
    url = preview_edit(admin_client, article, title="Draft title", summary="Draft summary.")
    assert url.startswith("/preview/?content_type=prism_news.articlepage&token=")

    response = client.get(PREVIEW_API, token_of(url))  # the front end: no session
    assert response.status_code == 200
    assert_never_cached(response)
    draft = response.json()
    assert draft["title"] == "Draft title" and draft["summary"] == "Draft summary."
    [paragraph] = draft["body"]
    assert paragraph["type"] == "paragraph"
    assert "The draft's own paragraph.</p>" in paragraph["value"]
    assert draft["json_ld"]["headline"] == "Draft title"
    live = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert set(draft) == set(live) and set(draft["meta"]) == set(live["meta"])
    assert draft["id"] == live["id"] and draft["meta"]["detail_url"] == live["meta"]["detail_url"]
    # Nothing was saved, and the public API still serves the live text.
    assert article.revisions.count() == revisions
    assert live["title"] == "Live title"
    assert ArticlePage.objects.get(pk=article.pk).title == "Live title"


def test_front_end_url_per_language_and_site(admin_client, article, en, settings):
    en_article = translate(article, en, title="English title")
    assert preview_edit(admin_client, article).startswith("/preview/?")
    assert preview_edit(admin_client, en_article).startswith("/en/preview/?")

    settings.WAGTAIL_HEADLESS_PREVIEW = {
        "CLIENT_URLS": {
            "localhost": "https://front.test/{LANGUAGE_CODE}/preview",
            "default": "https://elsewhere.test/",
        }
    }
    assert preview_edit(admin_client, en_article).startswith("https://front.test/en/preview/?")
    settings.WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {"default": "{SITE_ROOT_URL}/p?x=1"}}
    url = preview_edit(admin_client, article)
    assert url.startswith("http://localhost/p/?x=1&content_type=prism_news.articlepage&token=")


def test_the_template_mode_stays_available(admin_client, article):
    assert [mode for mode, _label in article.preview_modes] == [HEADLESS_MODE, TEMPLATE_MODE]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    admin_client.post(url, edit_form_data(admin_client, article, body=DRAFT_BODY, action=None))
    html = admin_client.get(url, {"mode": TEMPLATE_MODE}).content.decode()
    assert "The draft's own paragraph." in html and "<iframe" not in html


def test_without_client_urls_pages_preview_with_their_templates(admin_client, article, settings):
    settings.WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {}}
    assert [mode for mode, _label in article.preview_modes] == [""]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    admin_client.post(url, edit_form_data(admin_client, article, body=DRAFT_BODY, action=None))
    assert "The draft's own paragraph." in admin_client.get(url).content.decode()


def test_tokens_expire(admin_client, client, article, prism_settings, monkeypatch):
    prism_settings(PREVIEW_TOKEN_MAX_AGE=600)
    # The token's timestamp is a whole second taken while the preview is made,
    # so it lies in [floor(before), later]: on a slow machine those can be
    # seconds apart, hence two clocks rather than one.
    before = int(time.time())
    params = token_of(preview_edit(admin_client, article, title="Draft title"))
    later = time.time()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: before + 599))
    assert client.get(PREVIEW_API, params).status_code == 200
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later + 602))
    response = client.get(PREVIEW_API, params)
    assert response.status_code == 404
    assert "expired" in response.json()["message"]
    assert_never_cached(response)


def test_a_token_opens_only_its_own_page(admin_client, client, article, category, home):
    other = ArticlePageFactory(parent=category, title="Other live", slug="other")
    mine = token_of(preview_edit(admin_client, article, title="Mine"))
    theirs = token_of(preview_edit(admin_client, other, title="Theirs"))
    assert client.get(PREVIEW_API, mine).json()["title"] == "Mine"
    assert client.get(PREVIEW_API, theirs).json()["title"] == "Theirs"

    # Another content type, a tampered token, or a stored preview that does not
    # hold the page the token was signed for: 404.
    assert (
        client.get(PREVIEW_API, {**mine, "content_type": "prism_news.disclaimerpage"}).status_code
        == 404
    )
    tampered = mine["token"][:-1] + ("A" if mine["token"][-1] != "A" else "B")
    assert client.get(PREVIEW_API, {**mine, "token": tampered}).status_code == 404
    stored = PagePreview.objects.get(token=theirs["token"])
    PagePreview.objects.filter(token=mine["token"]).update(content_json=stored.content_json)
    assert client.get(PREVIEW_API, mine).status_code == 404
    # A disclaimer's token does not open an article of the same id space either.
    policy = DisclaimerPageFactory(parent=home, slug="policy")
    policy_token = token_of(preview_edit(admin_client, policy, title="Policy draft"))
    assert client.get(PREVIEW_API, policy_token).json()["title"] == "Policy draft"
    wrong = {**policy_token, "content_type": "prism_news.articlepage"}
    assert client.get(PREVIEW_API, wrong).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 404),
        ({"content_type": "prism_news.articlepage"}, 404),
        ({"token": "id=1:abc:def"}, 404),
        ({"content_type": "prism_news.articlepage", "token": "id=1:abc:def"}, 404),
        ({"content_type": "auth.user", "token": "x"}, 404),
        ({"content_type": "wagtailcore.page", "token": "x"}, 404),
        ({"content_type": "nonsense", "token": "x"}, 404),
        ({"content_type": "a.b.c", "token": "x"}, 404),
        ({"content_type": "prism_news.articlepage", "token": "x", "order": "title"}, 400),
        ({"content_type": "prism_news.articlepage", "token": "x\x00"}, 400),
        ({"content_type": "prism_news.articlepage", "token": "x" * 600}, 400),
    ],
)
def test_bad_requests_are_4xx_with_a_message(client, db, query, status):
    response = client.get(PREVIEW_API, query)
    assert response.status_code == status
    assert response.json()["message"]
    assert_never_cached(response)


def test_previewing_a_new_page(admin_client, client, category):
    url, data = create_form_data(
        admin_client, category, body=DRAFT_BODY, title="Not created yet", slug="new", summary="S",
        ai_involvement="none",  # a new article's involvement is chosen, never defaulted
    )  # fmt: skip
    preview_url = f"/admin/pages/add/prism_news/articlepage/{category.pk}/preview/"
    assert admin_client.post(preview_url, data).json()["is_valid"] is True
    params = token_of(client_url(admin_client.get(preview_url, {"mode": HEADLESS_MODE})))
    draft = client.get(PREVIEW_API, params).json()
    assert draft["title"] == "Not created yet"
    assert draft["id"] is None and draft["meta"]["detail_url"] is None
    assert draft["category"]["id"] == category.pk
    assert not ArticlePage.objects.filter(slug="new").exists()


def test_previewing_a_translation_in_wagtail_localize(
    admin_client, admin_user, client, article, en
):
    TranslationCreator(admin_user, [en]).create_translations(article)
    translation = Translation.objects.get(source__object_id=article.translation_key)
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string, locale=en, context=segment.context,
            data=f"EN: {segment.string.data}",
        )  # fmt: skip
    url = reverse("wagtail_localize:preview_translation", args=[translation.pk, HEADLESS_MODE])
    front_end = client_url(admin_client.get(url))
    assert front_end.startswith("/en/preview/?")
    draft = client.get(PREVIEW_API, token_of(front_end)).json()
    assert draft["title"] == "EN: Live title"
    assert draft["meta"]["locale"] == "en" and draft["language_label"] == "English"
    assert not Page.objects.filter(locale=en, title="EN: Live title", live=True).exists()


def test_the_demo_preview_client_is_served_for_each_language(client, db):
    for path in ("/preview/", "/en/preview/"):
        response = client.get(path)
        assert response.status_code == 200
        assert '<script src="client.js" defer></script>' in response.content.decode()
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "private, no-store"
    script = client.get("/en/preview/client.js")
    assert script["Content-Type"].startswith("text/javascript")
    assert b"page_preview/" in script.content


def test_every_prism_page_type_previews_headless(admin_client, client, category):
    url = preview_edit(admin_client, category, title="Draft section")
    assert client.get(PREVIEW_API, token_of(url)).json()["title"] == "Draft section"
    assert CategoryIndexPage.objects.get(pk=category.pk).title == "Politics"


def new_page_token(admin_client, parent):
    url, data = create_form_data(
        admin_client,
        parent,
        body=DRAFT_BODY,
        title="Not created yet",
        slug="new",
        summary="S",
        ai_involvement="none",  # a new article's involvement is chosen, never defaulted
    )
    preview_url = f"/admin/pages/add/prism_news/articlepage/{parent.pk}/preview/"
    assert admin_client.post(preview_url, data).json()["is_valid"] is True
    return token_of(client_url(admin_client.get(preview_url, {"mode": HEADLESS_MODE})))


def test_a_deleted_page_s_token_opens_nothing(admin_client, client, article):
    params = token_of(preview_edit(admin_client, article, title="Draft title"))
    assert client.get(PREVIEW_API, params).json()["title"] == "Draft title"
    article.delete()
    response = client.get(PREVIEW_API, params)
    assert response.status_code == 404
    assert response.json()["message"] == NOT_FOUND
    assert_never_cached(response)


def test_a_moved_page_s_token_opens_nothing(admin_client, client, article, category, home):
    params = token_of(preview_edit(admin_client, article, title="Draft title"))
    article.save_revision().publish()  # published since: still where it was, still opens
    assert client.get(PREVIEW_API, params).json()["title"] == "Draft title"
    elsewhere = CategoryIndexPage(title="Economy", slug="economy")
    home.add_child(instance=elsewhere)
    Page.objects.get(pk=article.pk).move(elsewhere, pos="last-child")
    assert client.get(PREVIEW_API, params).status_code == 404
    # Previewing again gives a token for where it stands now.
    moved = ArticlePage.objects.get(pk=article.pk)
    again = token_of(preview_edit(admin_client, moved, title="Moved draft"))
    assert client.get(PREVIEW_API, again).json()["title"] == "Moved draft"


def test_a_token_opens_nothing_once_an_ancestor_moved(
    admin_client, client, article, category, home
):
    params = token_of(preview_edit(admin_client, article, title="Draft title"))
    section = CategoryIndexPage(title="World", slug="world")
    home.add_child(instance=section)
    Page.objects.get(pk=category.pk).move(section, pos="last-child")
    assert client.get(PREVIEW_API, params).status_code == 404


def test_a_new_page_s_token_opens_nothing_once_its_parent_is_gone(admin_client, client, category):
    params = new_page_token(admin_client, category)
    assert client.get(PREVIEW_API, params).json()["title"] == "Not created yet"
    category.delete()
    response = client.get(PREVIEW_API, params)
    assert response.status_code == 404, response.content


def test_a_new_page_s_token_opens_nothing_once_its_parent_moved(
    admin_client, client, category, home
):
    params = new_page_token(admin_client, category)
    section = CategoryIndexPage(title="World", slug="world")
    home.add_child(instance=section)
    Page.objects.get(pk=category.pk).move(section, pos="last-child")
    assert client.get(PREVIEW_API, params).status_code == 404
