"""No input reaches a 500: every parameter against a list of hostile values."""

import pytest

from .api_fixtures import API

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
]  # fmt: skip
ENDPOINTS = [f"{API}", f"{API}?type=prism_news.ArticlePage", f"{API}find/", "/api/v2/images/"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_no_parameter_value_gives_a_server_error(client, newsroom, endpoint):
    separator = "&" if "?" in endpoint else "?"
    failures = []
    for name in PARAMETERS:
        for value in VALUES:
            response = client.get(f"{endpoint}{separator}", {name: value})
            if response.status_code >= 500:
                failures.append((name, value, response.status_code))
            elif response.status_code == 400:
                assert response.json()["message"], (name, value)
    assert failures == []


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
