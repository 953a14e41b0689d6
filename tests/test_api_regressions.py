"""The requests that once answered 500 (or a 400 not naming the parameter), kept as found.

Each now gets a 4xx naming the parameter, or a correct 200 (checked against what
the right answer is, not only its status).
"""

from urllib.parse import quote

import pytest

from .api_fixtures import API
from .factories import ArticlePageFactory

V3 = "/api/v3/pages/"
HUGE = str(10**24)
ARTICLES = f"{API}?type=prism_news.ArticlePage"
EXTREME_DATES = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
]


def problem(response):
    """The message of a 400: v2's ``message`` or v3's problem ``detail``."""
    data = response.json()
    return data.get("message") or data.get("detail")


@pytest.fixture
def newsroom(category):
    """Two articles: enough to tell all from nothing, light enough for many requests."""
    article = ArticlePageFactory(parent=category, title="Pax Silica", slug="pax-silica")
    other = ArticlePageFactory(parent=category, title="Other story")
    return {"article": article, "articles": [article, other]}


@pytest.fixture
def article_ids(newsroom):
    return {article.pk for article in newsroom["articles"]}


@pytest.mark.parametrize("value", EXTREME_DATES)
@pytest.mark.parametrize("name", ["published_after", "published_before"])
def test_extreme_dates_are_open_bounds_or_nothing(client, article_ids, name, value):
    response = client.get(API, {"type": "prism_news.ArticlePage", name: value, "limit": 50})
    assert response.status_code == 200, response.content
    found = {item["id"] for item in response.json()["items"]}
    # Before the calendar starts or after it ends: a bound that keeps all or nothing.
    keeps_all = (name == "published_after") == value.startswith("0001")
    assert found == (article_ids if keeps_all else set())


@pytest.mark.parametrize("value", EXTREME_DATES)
@pytest.mark.parametrize("name", ["published_after", "published_before"])
def test_extreme_dates_on_detail_and_find(client, newsroom, name, value):
    article = newsroom["article"]
    detail = client.get(f"{API}{article.pk}/", {name: value})
    assert detail.status_code in (200, 404)
    find = client.get(f"{API}find/", {"id": article.pk, name: value})
    assert find.status_code == 302


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"{API}?first_published_at=garbage", "first_published_at"),
        (f"{ARTICLES}&published_at=x", "published_at"),
        (f"{ARTICLES}&updated_at=x", "updated_at"),
        (f"{ARTICLES}&published_at=0001-01-01", "published_at"),
        (f"{ARTICLES}&hero_image={HUGE}", "hero_image"),
        (f"{ARTICLES}&reading_time={HUGE}", "reading_time"),
        (f"{ARTICLES}&disclaimer={HUGE}", "disclaimer"),
        (f"{ARTICLES}&body=x", "body"),
        (f"{API}?search=a&search_operator=x", "search_operator"),
        (f"{V3}?type=prism_news.ArticlePage&hero_image={HUGE}", "hero_image"),
        (f"{V3}?type=prism_news.ArticlePage&published_at=x", "published_at"),
        (f"{V3}?type=prism_news.ArticlePage&published_at=0001-01-01", "published_at"),
        (f"{V3}?offset={HUGE}", "offset"),
        ("/api/v3/images/?offset=" + HUGE, "offset"),
        ("/api/v3/redirects/?offset=" + HUGE, "offset"),
        (f"{V3}find/?site=:&html_path=/", "site"),
        (f"{V3}?search=a%00b", "search"),
        (f"{V3}?limit=51", "limit"),
        (f"{V3}?limit=0", "limit"),
        (f"{API}?child_of={'١' * 25}", "child_of"),
        (f"{API}find/?id={'١' * 25}", "id"),
    ],
)
def test_bad_values_are_400_naming_the_parameter(client, newsroom, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert problem(response).startswith(f"{parameter}: ")


def test_v3_problems_locate_the_parameter(client, newsroom):
    data = client.get(f"{V3}?offset={HUGE}").json()
    assert data["status"] == 400
    assert data["errors"] == [
        {"loc": ["query", "offset"], "msg": "expected a whole number from 0 to 10000"}
    ]


@pytest.mark.parametrize("api", [API, V3])
def test_search_on_detail_and_find_is_ignored(client, newsroom, api):
    article = newsroom["article"]
    detail = client.get(f"{api}{article.pk}/", {"search": "AND"})
    assert detail.status_code == 200
    assert detail.json()["id"] == article.pk
    found = client.get(f"{api}find/", {"html_path": "/politics/pax-silica/", "search": "AND"})
    assert found.status_code == 302
    assert client.get(found["Location"]).json()["id"] == article.pk


def items(response, api):
    data = response.json()
    return data["items"], data["meta"]["total_count"] if api == API else data["count"]


@pytest.mark.parametrize("api", [API, V3, "/api/v2/images/", "/api/v3/images/"])
@pytest.mark.parametrize("query", [" ", '" OR 1=1 --', "AND", "*", "-", "(", "NEAR(a b)", "'"])
def test_search_text_is_never_syntax(client, newsroom, api, query):
    response = client.get(api, {"search": query})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("api", [API, V3])
def test_search_without_words_is_the_unfiltered_listing(client, newsroom, api):
    unfiltered = client.get(api, {"limit": 20})
    for query in ["", " ", "%", '" --']:
        response = client.get(api, {"limit": 20, "search": query})
        assert response.status_code == 200
        assert items(response, api) == items(unfiltered, api), query


@pytest.mark.parametrize("api", [API, V3])
def test_search_finds_words_around_punctuation(client, newsroom, api):
    article = newsroom["article"]
    for query in ["Pax", '"Pax"', "Pax*", "(Pax) --", "pax, silica!"]:
        found, _ = items(client.get(api, {"search": query, "type": "prism_news.ArticlePage"}), api)
        assert article.pk in {item["id"] for item in found}, query


@pytest.mark.parametrize(
    "url",
    [
        f"{API}{HUGE}/",
        f"{V3}{HUGE}/",
        "/api/v3/images/" + HUGE + "/",
        f"{V3}find/?id={HUGE}",
        f"{API}find/?id={HUGE}",
    ],
)
def test_ids_beyond_64_bits_are_client_errors(client, newsroom, url):
    assert 400 <= client.get(url).status_code < 500


def test_limit_zero_on_a_newest_first_listing_gives_the_count_alone(client, article_ids):
    response = client.get(API, {"type": "prism_news.ArticlePage", "limit": 0})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["items"] == [] and data["meta"]["total_count"] == len(article_ids)
    assert data["meta"]["next_cursor"] is None


# html_path is percent-decoded by find (page URLs encode unicode slugs), so what it
# holds is checked again once decoded: "%2500" arrives as "%00" and decodes to a NUL,
# which PostgreSQL refuses in a query (a 500 DataError before).
ENCODED_PATHS = {
    "%2F%2500%2F": "NUL characters are not allowed (after percent-decoding)",
    "%2Fpolitics%2F%2500": "NUL characters are not allowed (after percent-decoding)",
    "%2500": "NUL characters are not allowed (after percent-decoding)",
    # A lone surrogate (U+D800) as UTF-8 would encode it; an overlong NUL; a stray byte.
    "%2F%25ED%25A0%2580%2F": "percent-encoded bytes must be UTF-8",
    "%2F%25C0%2580%2F": "percent-encoded bytes must be UTF-8",
    "%2F%25FF%2F": "percent-encoded bytes must be UTF-8",
}


@pytest.mark.parametrize("api", [API, V3])
@pytest.mark.parametrize(("encoded", "expected"), ENCODED_PATHS.items())
def test_find_checks_html_path_after_decoding_it(client, newsroom, api, encoded, expected):
    client.raise_request_exception = False
    response = client.get(f"{api}find/?html_path={encoded}")
    assert response.status_code == 400, response.content
    assert problem(response) == f"html_path: {expected}"
    if api == V3:
        assert response.json()["errors"][0]["loc"] == ["query", "html_path"]


@pytest.mark.parametrize("api", [API, V3])
def test_find_still_decodes_unicode_paths(client, category, api):
    article = ArticlePageFactory(parent=category, title="技術", slug="技術同盟")
    # The path as page.url gives it (percent-encoded), then encoded as a query value.
    encoded = quote(quote("/politics/技術同盟/"), safe="")
    found = client.get(f"{api}find/?html_path={encoded}")
    assert found.status_code == 302, found.content
    assert client.get(found["Location"]).json()["id"] == article.pk
