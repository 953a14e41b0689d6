"""Japanese-capable search (prism_news.search): analysis, the backend, relevance, snippets.

The index is the real one: tests/settings.py runs Wagtail's tasks at once, so every
page the factories save or publish is indexed by the signal handlers through
prism_news.search.backend (test_the_index_holds_analysed_tokens reads it back).
Runs on SQLite and on PostgreSQL (DATABASE_URL).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from prism_news.models import ArticlePage
from prism_news.search import search_articles, snippet
from prism_news.search.analysis import analyse, query_terms
from prism_news.search.backend import analyses, query_language_set

from .api_fixtures import API, translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, source

ARTICLE_TYPE = {"type": "prism_news.ArticlePage"}
V3 = "/api/v3/pages/"


def at(day):
    return timezone.make_aware(datetime.datetime(2026, 3, day, 9))


def tagged(page):
    """Index ``page`` again once its tags are saved: the signal's index task (run at
    once here) sees the page row before modelcluster commits its tags."""
    index.insert_or_update_object(page)
    return page


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


@pytest.fixture
def stories(home, category, en):
    kazakhstan = ArticlePageFactory(
        parent=category,
        title="カザフスタン、トカエフ大統領のAI分析",
        summary="中国と半導体をめぐる新しい同盟。",
        body=paragraph("データセンターのサーバーと附属設備を増やす。Pax Silicaの一員になった。"),
        published_at=at(20),
        tags=["ユーラシア"],
    )
    tagged(kazakhstan)
    weather = ArticlePageFactory(
        parent=category,
        title="東京の天気",
        summary="晴れのち曇り。",
        body=paragraph("週末は雨になる見込み。"),
        published_at=at(21),
    )
    kazakhstan_en = translate(
        kazakhstan,
        en,
        title="Kazakhstan joins the chip alliances",
        summary="Tokayev's government signs up to Pax Silica.",
        body=paragraph("An alliance of chip makers, led from Washington."),
    )
    return {"kazakhstan": kazakhstan, "weather": weather, "kazakhstan_en": kazakhstan_en}


def v2_titles(client, query, **params):
    response = client.get(API, {**ARTICLE_TYPE, "search": query, **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def v3_titles(client, query, **params):
    response = client.get(V3, {"type": "prism_news.ArticlePage", "search": query, **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# --- Analysis


def test_japanese_words_are_segmented_and_normalised():
    assert analyse("カザフスタンのトカエフ大統領", "ja")[:3] == [
        "カザフスタン",
        "トカエフ",
        "大統領",
    ]
    assert analyse("AI分析", "ja") == ["ai", "分析"]
    assert analyse("半導体", "ja") == ["半導体", "半", "導体"]  # the word, then its parts
    assert analyse("中国", "ja") == ["中国"]
    assert analyse("サーバー", "ja") == analyse("サーバ", "ja")
    assert analyse("附属", "ja") == analyse("付属", "ja") == ["付属"]
    assert analyse("ｶｻﾞﾌｽﾀﾝ", "ja") == ["カザフスタン"]  # half-width katakana
    assert analyse("全角ＡＩ", "ja") == ["全角", "ai"]  # full-width Latin
    assert analyse("「中国」、。！？・…", "ja") == ["中国"]  # punctuation dropped


def test_latin_words_are_stemmed_by_the_language_in_every_language():
    assert analyse("alliances", "en") == analyse("alliance", "en") == ["allianc"]
    assert analyse("alliances", "ja") == ["allianc"]  # English words inside Japanese text
    assert analyse("Allianzen", "de") == ["allianz"]
    assert analyse("alliances", "ko") == ["alliances"]  # no Snowball stemmer: folded only
    assert analyse("中国", "fr") == ["中国"]  # kanji go through Sudachi in every language


def test_query_terms_match_katakana_as_prefixes_and_are_bounded():
    (term,) = query_terms("カザフ", "ja")
    assert term.prefix and term.text == "カザフ"
    assert not query_terms("中国", "ja")[0].prefix
    assert query_terms("!!! ... 😀 \x00", "ja") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(500)), "en")) == 32


# --- Finding stories, through every door


@pytest.mark.parametrize("query", ["カザフスタン", "カザフ", "中国", "半導体", "トカエフ大統領"])
def test_japanese_queries_find_the_japanese_story(client, stories, query):
    assert v2_titles(client, query, locale="ja") == [stories["kazakhstan"].title]
    assert v3_titles(client, query, locale="ja") == [stories["kazakhstan"].title]


@pytest.mark.parametrize("query", ["Kazakhstan", "alliance", "alliances", "Pax"])
def test_english_queries_find_the_english_story(client, stories, query):
    assert v2_titles(client, query, locale="en") == [stories["kazakhstan_en"].title]
    assert v3_titles(client, query, locale="en") == [stories["kazakhstan_en"].title]


@pytest.mark.parametrize(
    "query", ["ＡＩ", "ai", "ｶｻﾞﾌｽﾀﾝ", "サーバ", "サーバー", "付属", "分析", "導体", "pax silica"]
)
def test_normalised_and_mixed_queries_find_the_story(client, stories, query):
    assert v2_titles(client, query, locale="ja") == [stories["kazakhstan"].title]


def test_the_wagtail_admin_page_search_finds_japanese(client, stories):
    """Wagtail's page search is an autocomplete on titles: title words, partial katakana."""
    admin = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:search")
    for query in ("カザフ", "ｶｻﾞﾌｽﾀﾝ", "大統領", "ＡＩ分析"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        content = response.content.decode()
        assert stories["kazakhstan"].title in content, query
        assert stories["weather"].title not in content


def test_the_index_holds_analysed_tokens(stories):
    backend = get_search_backend()
    assert analyses(backend)
    found = backend.search("カザフ", ArticlePage.objects.all())
    assert [page.pk for page in found] == [stories["kazakhstan"].pk]
    # Any .search() call, in any language, takes the analysis.
    with query_language_set("en"):
        assert list(backend.search("半導体", Page.objects.all())) == [
            stories["kazakhstan"].page_ptr
        ]
    assert list(backend.autocomplete("カザフ", ArticlePage.objects.all())) == [
        stories["kazakhstan"]
    ]


def test_a_third_language_falls_back_to_its_stemmer(client, stories, home):
    fr = Locale.objects.create(language_code="fr")
    translate(
        stories["kazakhstan"],
        fr,
        title="Le Kazakhstan rejoint les alliances",
        summary="Les puces et la Chine.",
        body=paragraph("Une alliance de fabricants, 中国 aussi."),
    )
    with_fr = {"LANGUAGE_CODE": "ja", "LANGUAGES": [("ja", "ja"), ("en", "en"), ("fr", "fr")]}
    from django.test import override_settings

    with override_settings(WAGTAIL_CONTENT_LANGUAGES=with_fr["LANGUAGES"], **with_fr):
        for query in ("alliance", "alliances", "puce", "中国"):
            found = search_articles(ArticlePage.objects.filter(locale=fr), query, language="fr")
            assert [page.title for page in found] == ["Le Kazakhstan rejoint les alliances"], query


def test_search_operator_and_or(client, stories):
    assert v2_titles(client, "カザフスタン 天気", locale="ja") == []
    assert sorted(
        v2_titles(client, "カザフスタン 天気", locale="ja", search_operator="or")
    ) == sorted([stories["kazakhstan"].title, stories["weather"].title])
    assert sorted(
        v3_titles(client, "カザフスタン 天気", locale="ja", search_operator="or")
    ) == sorted([stories["kazakhstan"].title, stories["weather"].title])


# --- Relevance


@pytest.fixture
def zebras(home, category, en):
    def story(title, day, *, summary="Nothing here.", body="Plain text.", tags=()):
        return tagged(
            ArticlePageFactory(
                parent=category,
                title=title,
                summary=summary,
                body=paragraph(body),
                published_at=at(day),
                tags=list(tags),
            )
        )

    return [
        story("Body hit, newer", 9, body="A zebra crossed."),
        story("Tag hit", 10, tags=["zebra"]),
        story("Zebra in the title, oldest", 1),
        story("Summary hit", 2, summary="Zebras everywhere."),
        story("Body hit, older", 8, body="The zebra stood."),
        story("Zebra title, newer", 3),
        story("No hit", 30),
    ]


EXPECTED_ORDER = [
    "Zebra title, newer",
    "Zebra in the title, oldest",
    "Summary hit",
    "Tag hit",
    "Body hit, newer",
    "Body hit, older",
]


def test_title_above_summary_above_tags_above_body_then_newest(client, zebras):
    assert v2_titles(client, "zebra", locale="ja", limit=20) == EXPECTED_ORDER
    assert v3_titles(client, "zebra", locale="ja", limit=20) == EXPECTED_ORDER
    found = search_articles(ArticlePage.objects.all(), "zebras", language="en")
    assert [page.title for page in found] == EXPECTED_ORDER
    assert found.count() == len(EXPECTED_ORDER)


def test_an_explicit_order_replaces_relevance(client, zebras):
    titles = v2_titles(client, "zebra", locale="ja", order="title", limit=20)
    assert titles == sorted(EXPECTED_ORDER)


# --- Filters combine with search


def test_search_combines_with_every_filter(client, stories, home):
    other = CategoryIndexPageFactory(parent=home, title="Sport", slug="sport")
    elsewhere = ArticlePageFactory(
        parent=other,
        title="カザフスタンのサッカー",
        published_at=at(5),
        ai_involvement="analysis",
        tags=["sport"],
        sources=[source()],
    )
    tagged(elsewhere)
    story = stories["kazakhstan"]
    both = sorted([story.title, elsewhere.title])
    assert sorted(v2_titles(client, "カザフスタン", locale="ja")) == both
    politics = stories["kazakhstan"].get_parent()
    assert v2_titles(client, "カザフスタン", category="sport") == [elsewhere.title]
    assert v2_titles(client, "カザフスタン", child_of=politics.pk) == [story.title]
    assert v2_titles(client, "カザフスタン", tag="sport") == [elsewhere.title]
    assert v2_titles(client, "カザフスタン", tags="ユーラシア") == [story.title]
    assert v2_titles(client, "カザフスタン", published_after="2026-03-10") == [story.title]
    assert v2_titles(client, "カザフスタン", published_before="2026-03-10") == [elsewhere.title]
    assert v2_titles(client, "カザフスタン", ai_involvement="analysis") == [elsewhere.title]
    assert v2_titles(client, "Kazakhstan", locale="ja") == []
    assert v3_titles(client, "カザフスタン", child_of=politics.pk) == [story.title]
    assert v3_titles(client, "カザフスタン", locale="en") == []


# --- Hostile queries


HOSTILE = [
    "!!!",
    "x" * 10_000,
    "カザフ" * 3_000,
    "\x00",
    "カザフ\x00",
    "😀",
    '"',
    '"カザフ',
    "*",
    "カザフ*",
    "NEAR(カザフ 中国)",
    "AND",
    "OR OR",
    "title : x",
    "'); DROP TABLE x; --",
    "\\",
    "{title} : カザフ",
    "の",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200_or_400(client, stories, query):
    for url, params in ((API, ARTICLE_TYPE), (V3, ARTICLE_TYPE), (API, {}), (V3, {})):
        response = client.get(url, {**params, "search": query})
        assert response.status_code in (200, 400), (url, response.status_code)


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "の", "😀", "\x00"])
def test_hostile_queries_through_the_python_api(stories, query):
    assert list(search_articles(ArticlePage.objects.all(), query, language="ja")) == []
    list(get_search_backend().search(query, Page.objects.all()))


# --- Snippets


def test_snippet_marks_the_match_and_escapes_everything():
    text = "<script>alert('x')</script> & \"quotes\" " + "filler " * 40 + "the alliances of Pax"
    result = snippet(text, "alliance <b>", language="en", length=60)
    assert "<mark>alliances</mark>" in result
    assert "<script>" not in result and "&lt;" not in result  # the match is far from the tag
    assert result.startswith("…")
    head = snippet(text, "script", language="en", length=200)
    assert head.startswith("&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)")
    assert "&amp; &quot;quotes&quot;" in head
    assert head.endswith("…")


def test_snippet_japanese_window():
    text = (
        "前置き。" * 60 + "カザフスタンのトカエフ大統領は半導体について語った。" + "後書き。" * 60
    )
    result = snippet(text, "カザフ 導体", language="ja", length=80)
    assert "<mark>カザフスタン</mark>" in result
    assert "半<mark>導体</mark>" in result or "<mark>半導体</mark>" in result
    assert result.startswith("…") and result.endswith("…")
    assert snippet("短い文。", "無関係", language="ja") == "短い文。"


def test_api_listing_carries_a_snippet_only_when_searching(client, stories):
    response = client.get(API, {**ARTICLE_TYPE, "search": "サーバー", "locale": "ja"})
    (item,) = response.json()["items"]
    assert "<mark>サーバー</mark>" in item["search_snippet"]
    summary_hit = client.get(API, {**ARTICLE_TYPE, "search": "中国", "locale": "ja"}).json()[
        "items"
    ][0]
    assert summary_hit["search_snippet"].startswith("<mark>中国</mark>と")
    listing = client.get(API, {**ARTICLE_TYPE, "locale": "ja"}).json()["items"]
    assert all("search_snippet" not in item for item in listing)
    detail = client.get(f"{API}{stories['kazakhstan'].pk}/", {"search": "中国"}).json()
    assert "search_snippet" not in detail


# --- The system check


def test_w020_when_the_database_is_one_the_backend_does_not_analyse_for():
    from prism_news.checks import search_backend_warnings

    ours = {"default": {"BACKEND": "prism_news.search.backend"}}
    (warning,) = search_backend_warnings(ours, "mysql")
    assert warning.id == "prism_news.W020" and "mysql" in warning.msg
    assert search_backend_warnings(ours, "postgresql") == []
    assert search_backend_warnings(ours, "sqlite") == []
    other = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    assert search_backend_warnings(other, "mysql") == []
