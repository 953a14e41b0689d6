"""No input reaches a 500: every parameter against a list of hostile values (all pairs
with ``PRISM_FULL_MATRIX=1``, else a sample holding each parameter and each value:
tests/sampling.py)."""

import pytest

from .api_fixtures import API
from .conftest import build_newsroom
from .sampling import pairs

PARAMETERS = [
    "type", "fields", "limit", "offset", "order", "search", "search_operator", "locale",
    "child_of", "ancestor_of", "descendant_of", "translation_of", "site", "id", "html_path",
    "category", "tag", "ai_involvement", "publisher", "published_after", "published_before",
    "title", "slug", "summary", "reading_time", "disclaimer", "rich_text_format", "unknown",
]  # fmt: skip
VALUES = [
    "", "0", "-1", "1.5", "abc", "9" * 30, "2**64", "\x00", "a\x00b", "%", "'; DROP TABLE x;--",
    "*", "-", "_", "()", "title,-title", "../../etc", "日本語", "x" * 501, "2026-02-30",
    "2026-01-01T25:00", "root", "prism_news.ArticlePage", "wagtailcore.Nope", "en,ja", "ja-JP",
    "%00", "/%00/", "/%ED%A0%80/", "%C0%80", "/%FF/",
]  # fmt: skip
ARTICLES = {"type": "prism_news.ArticlePage"}
# (path, parameters every request carries). Django's test client replaces a query string
# in the path by its data argument, so the type goes in the data.
ENDPOINTS = [(API, {}), (API, ARTICLES), (f"{API}find/", {}), ("/api/v2/images/", {})]


def build_module_data(request):
    """The newsroom, built once for this module's tests, which only read it
    (tests/shared_data.py)."""
    return build_newsroom()


@pytest.fixture
def newsroom(module_data):
    return module_data


@pytest.mark.parametrize(
    ("endpoint", "base"), ENDPOINTS, ids=["pages", "articles", "find", "images"]
)
def test_no_parameter_value_gives_a_server_error(client, newsroom, endpoint, base):
    failures = []
    for name, value in pairs(PARAMETERS, VALUES):  # all of them with PRISM_FULL_MATRIX=1
        response = client.get(endpoint, {**base, name: value})
        if response.status_code >= 500:
            failures.append((name, value, response.status_code))
        elif response.status_code == 400:
            assert response.json()["message"], (name, value)
    assert failures == []


def test_the_typed_listing_is_typed(client, newsroom):
    # Article fields exist only on the typed listing, so the typed case above really
    # runs typed (a type lost from the query string would make this a 400).
    untyped = client.get(API, {"fields": "summary"})
    assert untyped.status_code == 400
    assert "summary" in untyped.json()["message"]
    typed = client.get(API, {**ARTICLES, "fields": "summary"})
    assert typed.status_code == 200
    items = typed.json()["items"]
    assert items and {item["meta"]["type"] for item in items} == {"prism_news.ArticlePage"}
    assert all(item["summary"] for item in items)


@pytest.mark.parametrize(
    "path",
    [
        f"{API}99999999999999999999/",
        f"{API}9223372036854775808/",
        f"{API}0/",
        "/api/v2/images/99999999999999999999/",
        f"{API}find/?id=99999999999999999999",
        f"{API}find/?html_path=%00",
    ],
)
def test_out_of_range_ids_are_client_errors(client, newsroom, path):
    assert 400 <= client.get(path).status_code < 500


def test_detail_fields_parameter_errors_are_400(client, newsroom):
    article = newsroom["article"]
    response = client.get(f"{API}{article.pk}/?fields=nope")
    assert response.status_code == 400
    assert "nope" in response.json()["message"]
