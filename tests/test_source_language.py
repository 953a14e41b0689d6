"""A source's language is a BCP 47 language tag: checked wherever it is written
(the editor, code, imports), picked from a list in the editor, and only a valid tag
ever goes out as ``hreflang`` or ``inLanguage``, whatever an older version stored."""

import importlib
import io
import json
import re

import feedparser
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Revision
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.users.models import UserProfile

from prism_news.languages import canonical_tag, is_language_tag, source_language_choices
from prism_news.models import ArticlePage, ArticleSource

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory, source

BODY = streamfield([("paragraph", rich_text("<p>Body.</p>"))])
MIGRATION = importlib.import_module("prism_news.migrations.0005_source_language_tag")

VALID = [
    "en", "ja", "EN", "en-GB", "en-gb", "pt-BR", "zh-Hant", "zh-Hant-TW", "sr-Latn-RS",
    "es-419", "de-CH-1996", "yue", "zh-yue", "sl-rozaj-biske", "en-a-bbb-x-a-ccc", "en-x-test",
]  # fmt: skip
INVALID = [
    "テスト", "", "english", "en_US", "e", "en-", "-en", "en--GB", "en-GB-", "en GB", "en\n",
    "de-ÜS", "\u212aa", "en-\u212a", "abcd", "en-GB-x", "x-private", "a" * 40,
    '"><script>', "en-GB-0", "1en",
]  # fmt: skip


@pytest.mark.parametrize("tag", VALID)
def test_language_tags_that_are_accepted(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize("value", INVALID)
def test_values_that_are_not_language_tags(value):
    assert not is_language_tag(value)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("SR-LATN", "sr-Latn"), ("ja", "ja"),
     ("de-ch-1996", "de-CH-1996"), ("en-x-ABC", "en-x-abc")],
)  # fmt: skip
def test_canonical_case(value, canonical):
    assert canonical_tag(value) == canonical


@pytest.fixture
def editor(admin_client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def draft_languages(article):
    """The sources' languages in the article's latest revision (what the editor saved)."""
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    return [s.language for s in latest.sources.all()]


def test_the_editor_picks_from_a_list_of_languages(editor, category):
    article = ArticlePageFactory(parent=category, sources=[source(language="ja")])
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    select = re.search(r'<select name="sources-0-language".*?</select>', html, re.S).group(0)
    assert "maxlength" not in select
    assert '<option value="ja" selected>Japanese (ja)</option>' in select
    assert '<option value="en">English (en)</option>' in select
    assert '<option value="zh-Hant">' in select and '<option value="">Unknown</option>' in select
    with override("ja"):
        assert ("ja", "日本語 (ja)") in source_language_choices()


def test_a_stored_tag_outside_the_list_is_kept(editor, category):
    article = ArticlePageFactory(parent=category, sources=[source(language="yo")])
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert '<option value="yo" selected>yo</option>' in html
    data = edit_form_data(editor, article, body=BODY, action=None)
    assert data["sources-0-language"] == "yo"
    assert (
        editor.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data).status_code == 302
    )
    assert draft_languages(article) == ["yo"]


def test_the_editor_refuses_a_value_that_is_not_a_tag_on_its_field(editor, category):
    article = ArticlePageFactory(parent=category, sources=[source(language="en")])
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = edit_form_data(editor, article, body=BODY, action=None)
    data["sources-0-language"] = "テスト"  # a crafted POST: the select has no such option
    response = editor.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].formsets["sources"].forms[0].errors
    assert list(errors) == ["language"]
    with override("en"):
        messages = [str(message) for message in errors["language"]]
    assert messages == [
        "“テスト” is not a language code. Use a code such as “en”, “ja”, “pt-BR” or "
        "“zh-Hant” (BCP 47)."
    ]
    assert draft_languages(article) == ["en"]

    data["sources-0-language"] = "en-gb"  # any well-formed tag, stored in canonical case
    assert editor.post(url, data).status_code == 302
    assert draft_languages(article) == ["en-GB"]


def test_code_is_refused_with_the_field_named(category):
    article = ArticlePageFactory(parent=category)
    article.sources = [source(language="テスト", url="https://a.test/")]
    with override("en"), pytest.raises(Exception) as caught:
        article.full_clean()
    [message] = caught.value.message_dict["sources"]
    assert message.startswith("https://a.test/: language: “テスト” is not a language code.")


def import_line(language):
    line = {
        "external_id": "x-1", "locale": "ja", "category": "politics", "title": "T",
        "summary": "S", "body": [{"type": "paragraph", "value": "<p>B</p>"}], "tags": [],
        "sources": [
            {"title": "R", "publisher": "P", "url": "https://a.test/", "language": language}
        ],
        "ai_involvement": "analysis", "ai_model": "",
    }  # fmt: skip
    err = io.StringIO()
    stdin = io.StringIO(json.dumps(line, ensure_ascii=False) + "\n")
    try:
        call_command("import_articles", "-", stdin=stdin, stdout=io.StringIO(), stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, err.getvalue()


def test_the_importer_refuses_a_value_that_is_not_a_tag(category):
    ok, err = import_line("テスト")
    assert not ok and "line 1: sources[0].language: “テスト” is not a language code" in err
    assert not ArticlePage.objects.exists()
    ok, err = import_line("EN-gb")
    assert ok, err
    assert ArticleSource.objects.get().language == "en-GB"


def test_only_valid_tags_go_out_whatever_was_stored(category, client, newsroom):
    """A value stored before the check (written here past it, with update()) reaches
    neither the HTML, the JSON-LD, the API nor the feeds."""
    article = newsroom["article"]
    sources = ArticleSource.objects.filter(page=article)
    sources.filter(publisher="The Diplomat").update(language="テスト")
    sources.filter(publisher="Reuters").update(language="en-gb")
    expected = {"https://www.reuters.com/": "en-GB", "https://apnews.com/": "en"}

    html = client.get(article.url).content.decode()
    assert "テスト" not in html
    assert 'hreflang="en-GB"' in html
    data = client.get(f"/api/v2/pages/{article.pk}/").json()
    by_url = {s["url"]: s["language"] for s in data["sources"]}
    assert by_url == {**expected, article.sources.get(publisher="The Diplomat").url: ""}
    based_on = {s["url"]: s.get("inLanguage") for s in data["json_ld"]["isBasedOn"]}
    assert {url: tag for url, tag in based_on.items() if tag} == expected
    feed = client.get("/politics/feeds/atom/").content.decode()
    assert "テスト" not in feed
    entry = next(e for e in feedparser.parse(feed).entries if e.title == article.title)
    via = {link.href: link.get("hreflang") for link in entry.links if link.rel == "via"}
    assert {url: tag for url, tag in via.items() if tag} == expected


def test_the_migration_repairs_or_blanks_stored_values(category):
    article = ArticlePageFactory(
        parent=category,
        sources=[source(url="https://a.test/"), source(url="https://b.test/"),
                 source(url="https://c.test/")],
    )  # fmt: skip
    revision = article.save_revision()
    stored = {"https://a.test/": "EN_us", "https://b.test/": "テスト", "https://c.test/": " ja "}
    for url, value in stored.items():
        ArticleSource.objects.filter(page=article, url=url).update(language=value)
    content = revision.content
    for row in content["sources"]:
        row["language"] = {"https://a.test/": "zh_hant", "https://b.test/": "テスト"}.get(
            row["url"], row["language"]
        )
    Revision.objects.filter(pk=revision.pk).update(content=content)

    MIGRATION.repair_languages(apps, None)

    rows = ArticleSource.objects.filter(page=article)
    assert {row.url: row.language for row in rows} == {
        "https://a.test/": "en-US", "https://b.test/": "", "https://c.test/": "ja",
    }  # fmt: skip
    repaired = Revision.objects.get(pk=revision.pk).content["sources"]
    assert {s["url"]: s["language"] for s in repaired} == {
        "https://a.test/": "zh-Hant", "https://b.test/": "", "https://c.test/": "en",
    }  # fmt: skip
