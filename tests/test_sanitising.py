"""Markup from outside the editor is stored as the editor would have stored it, and
URLs that end up in href/src are http(s) only, whichever way the content came in."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from prism_news.models import ArticlePage
from prism_news.translation import translate_instance

from .factories import ArticlePageFactory, source

PAYLOADS = [
    "<p>Before<script>alert(1)</script>after</p>",
    '<p><img src=x onerror="alert(1)">text</p>',
    '<p><a href="javascript:alert(1)">click</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">click</a></p>',
    '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a></p>',
    '<p onmouseover="alert(1)"><b onclick="alert(1)">bold</b></p>',
    '<p><iframe src="https://evil.test/"></iframe><style>p{}</style>x</p>',
    '<p><svg onload="alert(1)"></svg><math><mi>x</mi></math></p>',
    "<p>a</p><script>document.write('x')</script>",
]
DANGEROUS = ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "data:",
             "<iframe", "<style", "<svg", "<img")  # fmt: skip


def assert_clean(html):
    lowered = html.lower()
    for marker in DANGEROUS:
        assert marker not in lowered, (marker, html)


def served(client, page):
    """What readers get: the article's HTML page and its API body."""
    html = client.get(page.url).content.decode()
    article_html = html.split('class="prism-article__body"', 1)[1]
    body = client.get(f"/api/v2/pages/{page.pk}/").json()["body"]
    return article_html, " ".join(str(block["value"]) for block in body)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_that_saves_raw_markup_stores_it_cleaned(category, client, payload):
    page = ArticlePageFactory(parent=category, body=[("paragraph", payload)])
    page.save_revision().publish()
    stored = ArticlePage.objects.get(pk=page.pk)
    assert_clean(json.dumps(stored.body.get_prep_value()))
    assert_clean(json.dumps(stored.get_latest_revision().content["body"]))
    for text in served(client, stored):
        assert_clean(text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_importer_stores_markup_cleaned_and_says_what_it_removed(category, client, payload):
    data = {
        "external_id": "xss", "locale": "ja", "category": "politics", "title": "T",
        "summary": "S", "body": [{"type": "paragraph", "value": payload}], "tags": [],
        "sources": [{"title": "R", "publisher": "P", "url": "https://a.test/"}],
        "ai_involvement": "analysis", "ai_model": "m",
    }  # fmt: skip
    err = io.StringIO()
    call_command("import_articles", "-", stdin=io.StringIO(json.dumps(data)), stderr=err,
                 stdout=io.StringIO())  # fmt: skip
    article = ArticlePage.objects.get(external_id="xss")
    draft = article.get_latest_revision()
    assert_clean(json.dumps(draft.content["body"]))
    draft.publish()
    for text in served(client, ArticlePage.objects.get(pk=article.pk)):
        assert_clean(text)
    if "<script" in payload or "<img" in payload or "<iframe" in payload:
        assert "line 1: body[0]: removed markup an editor could not use" in err.getvalue()


def test_a_translated_string_cannot_smuggle_markup_in(category, en, client, admin_user):
    page = ArticlePageFactory(parent=category, body=[("paragraph", "<p>本文です。</p>")])
    page.save_revision().publish()

    def hostile(text):
        return '<script>alert(1)</script><a href="javascript:x">t</a>' if "本文" in text else text

    try:
        translated = translate_instance(page, en, hostile, user=admin_user)
    except ValidationError:
        return  # refused outright is fine too
    for text in served(client, translated):
        assert_clean(text)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//evil.test/x",
            "vbscript:x", "https://"],
)  # fmt: skip
def test_embeds_take_web_addresses_only(category, url):
    page = ArticlePageFactory(parent=category)
    page.body = [("embed", url)]
    with pytest.raises(ValidationError):
        page.save()
    block = page.body.stream_block.child_blocks["embed"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(url))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://a.test/x"])
def test_the_importer_refuses_embeds_that_are_not_web_addresses(category, url):
    data = {
        "external_id": "e", "locale": "ja", "category": "politics", "title": "T", "summary": "S",
        "body": [{"type": "embed", "value": {"url": url}}], "tags": [],
        "sources": [{"title": "R", "publisher": "P", "url": "https://a.test/"}],
        "ai_involvement": "analysis", "ai_model": "m",
    }  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", "-", stdin=io.StringIO(json.dumps(data)), stderr=err)
    assert "line 1: body[0].url: expected an http:// or https:// address" in err.getvalue()
    assert not ArticlePage.objects.exists()


def test_editor_output_is_stored_unchanged(category):
    html = (
        '<p data-block-key="a1b2c">An <b>alliance</b> of <i>chips</i> &amp; '
        '<a href="https://a.test/?x=1&amp;y=2">data</a> x<sup>2</sup> H<sub>2</sub>O '
        '<s>old</s></p><p data-block-key="d3e4f">More.</p>'
    )
    page = ArticlePageFactory(parent=category, body=[("paragraph", html)])
    stored = ArticlePage.objects.get(pk=page.pk)
    assert stored.body.get_prep_value()[0]["value"] == html


def test_a_title_that_closes_a_script_stays_data(category, client):
    title = '</script><script>alert(1)</script><!-- "quoted" & <b>'
    page = ArticlePageFactory(parent=category, title=title, sources=[source()])
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["title"] == title and data["json_ld"]["headline"] == title
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_the_admin_form_cannot_store_a_script_link_either(category, admin_client):
    """A crafted Draftail submission (the editor's own JSON, not its UI)."""
    from django.urls import reverse
    from wagtail.test.utils.form_data import streamfield

    from .admin_forms import edit_form_data

    contentstate = json.dumps({
        "blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0, "text": "click me",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 5, "key": 0}], "data": {}}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE",
                            "data": {"url": "javascript:alert(document.cookie)"}}},
    })  # fmt: skip
    page = ArticlePageFactory(parent=category)
    data = edit_form_data(admin_client, page, body=streamfield([("paragraph", contentstate)]))
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code in (200, 302)
    stored = ArticlePage.objects.get(pk=page.pk)
    assert_clean(json.dumps(stored.body.get_prep_value()))
    assert (
        stored.body.get_prep_value()[0]["value"] == '<p data-block-key="a1b2c"><a>click</a> me</p>'
    )
