"""Article listings: cards by default, filters, ordering, and 400s that name the parameter."""

import datetime

import pytest
from django.utils import timezone

from .api_fixtures import API, translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory, ImageFactory, source

ARTICLES = f"{API}?type=prism_news.ArticlePage"


def at(day):
    return timezone.make_aware(datetime.datetime(2026, 1, day, 12, 0))


@pytest.fixture
def stories(home, category, en):
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    made = {
        "pax": ArticlePageFactory(
            parent=category, title="Pax", published_at=at(22), tags=["chips", "Kazakhstan"],
            ai_involvement="analysis", sources=[source(publisher="The Diplomat")],
            hero_image=ImageFactory(), hero_image_alt="Nodes",
        ),
        "tanker": ArticlePageFactory(
            parent=category, title="Tanker", published_at=at(21), tags=["oil"],
            ai_involvement="generated", sources=[source(publisher="Reuters")],
        ),
        "oil": ArticlePageFactory(
            parent=economy, title="Oil", published_at=at(10), tags=["oil", "chips"],
        ),
    }  # fmt: skip
    made["pax_en"] = translate(made["pax"], en, title="Pax (en)")
    made["economy"] = economy
    return made


def titles(client, query=""):
    response = client.get(ARTICLES + query)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_listing_items_are_cards_newest_first(client, stories):
    response = client.get(ARTICLES + "&locale=ja")
    items = response.json()["items"]
    assert [i["title"] for i in items] == ["Pax", "Tanker", "Oil"]
    card = items[0]
    assert set(card) == {
        "id", "meta", "title", "summary", "url", "category", "language_label",
        "published_at", "reading_time", "ai", "hero_image",
    }  # fmt: skip
    assert card["meta"]["locale"] == "ja"
    assert card["category"]["slug"] == "politics"
    assert card["ai"]["label"] == "AI分析"
    assert card["hero_image"]["alt"] == "Nodes"
    assert set(card["hero_image"]["renditions"]) == {"thumbnail", "medium"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&category=politics&locale=ja", ["Pax", "Tanker"]),
        ("&category=economy", ["Oil"]),
        ("&tag=oil", ["Tanker", "Oil"]),
        ("&tag=Kazakhstan&tag=oil&locale=ja", ["Pax", "Tanker", "Oil"]),
        ("&ai_involvement=generated", ["Tanker"]),
        ("&publisher=reuters", ["Tanker"]),
        ("&published_after=2026-01-21&locale=ja", ["Pax", "Tanker"]),
        ("&published_before=2026-01-21", ["Tanker", "Oil"]),
        ("&published_after=2026-01-15&published_before=2026-01-21T23:00:00%2B09:00", ["Tanker"]),
        # A moment, not a day: up to and including that moment (Tanker is at 12:00).
        ("&published_before=2026-01-21T12:00:00%2B09:00&locale=ja", ["Tanker", "Oil"]),
        ("&published_before=2026-01-21%2012:00:00%2B09:00&locale=ja", ["Tanker", "Oil"]),
        ("&published_before=2026-01-21T11:59:59%2B09:00&locale=ja", ["Oil"]),
        ("&locale=en", ["Pax (en)"]),
        ("&order=title&locale=ja", ["Oil", "Pax", "Tanker"]),
    ],
)
def test_filters(client, stories, query, expected):
    assert titles(client, query) == expected


def test_search_finds_by_words_and_can_be_turned_off(client, stories, settings):
    assert titles(client, "&search=Tanker") == ["Tanker"]
    assert titles(client, "&search=%21%21") == ["Pax (en)", "Pax", "Tanker", "Oil"]  # no words
    settings.WAGTAILAPI_SEARCH_ENABLED = False
    response = client.get(ARTICLES + "&search=Tanker")
    assert response.status_code == 400
    assert response.json()["message"] == "search: search is disabled"


def test_search_combines_with_the_tag_filters(client, stories):
    """Article search is a queryset filter (prism_news.search): Wagtail's ``tags`` and
    prism_news's ``tag`` narrow it like any other filter."""
    assert titles(client, "&tags=oil&search=Tanker") == ["Tanker"]  # Wagtail's own tags filter
    assert titles(client, "&tags=chips&search=Tanker") == []
    assert titles(client, "&tag=oil&search=Tanker") == ["Tanker"]
    assert titles(client, "&tag=chips&search=Tanker") == []
    assert titles(client, "&search=Tanker") == ["Tanker"]  # the search alone still works


def test_category_by_id_and_article_filters_imply_the_article_type(client, stories):
    economy = stories["economy"]
    assert titles(client, f"&category={economy.pk}") == ["Oil"]
    response = client.get(f"{API}?category=economy")
    assert [i["title"] for i in response.json()["items"]] == ["Oil"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("&category=nope", "category"),
        ("&ai_involvement=robot", "ai_involvement"),
        ("&published_after=yesterday", "published_after"),
        ("&published_before=2026-13-45", "published_before"),
        ("&limit=51", "limit"),
        ("&limit=-1", "limit"),
        ("&offset=10001", "offset"),
        ("&offset=99999999999999999999999", "offset"),
        ("&tag=a%00b", "tag"),
        ("&child_of=99999999999999999999", "child_of"),
        ("&search=" + "x" * 600, "search"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, stories, query, parameter):
    response = client.get(ARTICLES + query)
    assert response.status_code == 400, response.content
    assert response.json()["message"].startswith(f"{parameter}: ")


def test_article_filter_on_another_type_is_a_400(client, stories):
    response = client.get(f"{API}?type=prism_news.CategoryIndexPage&tag=oil")
    assert response.status_code == 400
    assert "type=prism_news.ArticlePage" in response.json()["message"]


def test_limit_up_to_the_configured_maximum(client, stories, prism_settings):
    assert client.get(ARTICLES + "&limit=50").status_code == 200
    prism_settings(API_LIMIT_MAX=2)
    assert client.get(ARTICLES + "&limit=3").status_code == 400
    assert len(client.get(ARTICLES).json()["items"]) == 2


def test_offset_within_bounds_past_the_end_is_empty(client, stories):
    response = client.get(ARTICLES + "&offset=10000")
    assert response.status_code == 200
    assert response.json()["items"] == []


# --- Listings that do not grow with the archive (prism_news.api.listing)


@pytest.fixture
def archive(home):
    from benchmarks.archive import build_archive

    return build_archive(60, categories=3, translated=0, image_pool=2)


def titles_by_cursor(client, query, limit):
    seen, cursor = [], None
    while True:
        page = client.get(API, {**query, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.content
        data = page.json()
        seen += [item["id"] for item in data["items"]]
        cursor = data["meta"]["next_cursor"]
        if cursor is None:
            return seen, data["meta"]["total_count"]


@pytest.mark.parametrize("query", [{}, {"category": "section-1"}, {"locale": "ja"}])
def test_cursor_pages_walk_the_listing_once_in_order(client, archive, query):
    query = {"type": "prism_news.ArticlePage", **query}
    by_offset = []
    for offset in range(0, 60, 7):
        page = client.get(API, {**query, "limit": 7, "offset": offset}).json()
        by_offset += [item["id"] for item in page["items"]]
    by_cursor, total = titles_by_cursor(client, query, 7)
    assert by_cursor == by_offset and len(by_cursor) == total == len(set(by_cursor))


def test_deep_offsets_give_the_same_rows_through_the_deferred_join(client, archive, prism_settings):
    url = f"{API}?type=prism_news.ArticlePage&limit=10&offset=35"
    plain = client.get(url).json()["items"]
    prism_settings(API_DEFERRED_JOIN_OFFSET=20)
    deferred = client.get(url).json()["items"]
    assert [i["id"] for i in deferred] == [i["id"] for i in plain] and len(plain) == 10
    assert deferred == plain


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cursor": "made-up"}, "cursor: not a cursor this API gave"),
        ({"cursor": "WyIyMDI2IiwxXQ:forged"}, "cursor: not a cursor this API gave"),
        ({"order": "title", "cursor": "x"}, "cursor: only for article listings"),
        ({"search": "story", "cursor": "x"}, "cursor: only for article listings"),
    ],
)
def test_a_bad_cursor_is_a_400(client, archive, query, message):
    response = client.get(API, {"type": "prism_news.ArticlePage", **query})
    assert response.status_code == 400 and response.json()["message"].startswith(message)


def test_the_listing_walks_the_newest_first_index_without_sorting(client, home):
    """On PostgreSQL, EXPLAIN of the listing's query: an index scan on
    prism_articles_newest and no sort of the archive."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.archive import build_archive

    if connection.vendor != "postgresql":
        pytest.skip("the plan is checked on PostgreSQL (the production database)")
    build_archive(3000, categories=3, translated=0, image_pool=2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for query in ("", "&locale=ja", "&category=section-2"):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"{API}?type=prism_news.ArticlePage&limit=10{query}")
        # The page of items: newest first, limited (not the site's translations, say).
        sql = next(
            q["sql"]
            for q in queries
            if "LIMIT" in q["sql"]
            and '"prism_news_articlepage"."published_at" DESC' in q["sql"].split("ORDER BY")[-1]
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "prism_articles_newest" in plan, plan
        assert "Sort" not in plan, plan
