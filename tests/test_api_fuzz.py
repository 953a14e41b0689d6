"""Generated values for every query parameter of the public API: never a 5xx.

Hypothesis draws one to four parameters at a time, by name from the lists below
(v3's straight from its OpenAPI document) or made up, with values shaped to
break things: huge and negative numbers, dates at the ends of the calendar with
odd offsets, search syntax, NUL and other control characters, any Unicode, and
percent-encoded NULs and surrogates for the parameters that are decoded again.
Runs are deterministic and bounded by example count (``PRISM_FUZZ_EXAMPLES``; by
default 400 per API version with ``PRISM_FULL_MATRIX=1``, as one CI job runs, else 50:
tests/sampling.py); set it higher to search longer, and ``PRISM_FUZZ_RANDOM=1`` to draw
new examples each run. The cases such runs found are kept in ``test_api_regressions``.
"""

import datetime
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .api_fixtures import API
from .conftest import build_newsroom
from .sampling import fuzz_examples

FUZZ = settings(
    max_examples=fuzz_examples(),
    deadline=None,
    derandomize=not os.environ.get("PRISM_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: Wagtail's and prism_news's parameters, and the field filters of each page type.
V2_PARAMETERS = [
    "type", "fields", "limit", "offset", "order", "search", "search_operator", "locale",
    "child_of", "ancestor_of", "descendant_of", "translation_of", "site", "id", "html_path",
    "rich_text_format", "format", "_",
    "category", "tag", "ai_involvement", "publisher", "published_after", "published_before",
    "title", "slug", "seo_title", "search_description", "show_in_menus", "first_published_at",
    "alias_of", "summary", "published_at", "updated_at", "reading_time", "hero_image", "tags",
    "body", "intro", "page_size", "kind", "short_text", "width", "height", "collection",
]  # fmt: skip
FIELD_FILTERS = [
    "id", "title", "slug", "first_published_at", "locale", "alias_of", "show_in_menus",
    "summary", "published_at", "updated_at", "reading_time", "hero_image", "disclaimer",
    "width", "height", "old_path", "site", "redirect_page", "is_permanent", "created_at",
]  # fmt: skip

SYNTAX = "\"*()-:^~+&|!'\\%_[]{}<>;=,./ "
HOSTILE = [
    "", " ", "0", "-1", "1.5", "1e9", "²", "١٢", "root", "random", "-", "_", "*", "%",
    "AND", "OR", "NOT", "NEAR", '" OR 1=1 --', "a\x00b", "\x00", "x" * 501,
    "0001-01-01", "9999-12-31", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00",
    "2026-02-30", "2026-01-01T25:00", "prism_news.ArticlePage", "wagtailcore.Page",
    "wagtailcore.Nope", ":", "example.com:99999", "localhost:80", "en", "ja", "zz",
    "title,-title", "*,body", "_,title", "../../etc/passwd", "/en/politics/", "日本語",
    # Percent-encoded once more: what find decodes (a NUL, a lone surrogate's UTF-8,
    # an overlong NUL, a stray byte).
    "%00", "/%00/", "/politics/%00", "/%ED%A0%80/", "%C0%80", "/%FF/", "%E6%94%BF",
]  # fmt: skip


def moments():
    offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
        lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
    )
    return st.one_of(
        st.datetimes(timezones=st.none() | offsets).map(lambda moment: moment.isoformat()),
        st.dates().map(str),
    )


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.from_regex(r"[0-9]{15,30}", fullmatch=True),
    # Digits of any script: int() reads them all.
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=19, max_size=30),
    moments(),
    st.text(alphabet=SYNTAX + "abc", max_size=12),
    st.text(max_size=20),
)


def queries(names):
    """One to four (name, value) pairs, names repeatable, some of them made up."""
    name = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=8))
    return st.lists(st.tuples(name, VALUES), min_size=1, max_size=4).map(as_query)


def as_query(pairs):
    query = {}
    for name, value in pairs:
        query.setdefault(name, []).append(value)
    return query


def build_module_data(request):
    """The newsroom, built once for this module's tests, which only read it
    (tests/shared_data.py)."""
    return build_newsroom()


@pytest.fixture
def newsroom(module_data):
    return module_data


def fuzz(client, endpoints, names):
    client.raise_request_exception = False  # a 500 is a finding, not a crash

    @FUZZ
    @given(st.sampled_from(endpoints), queries(names))
    def never_a_server_error(endpoint, query):
        response = client.get(endpoint, query)
        assert response.status_code < 500, (endpoint, query)

    never_a_server_error()


@pytest.fixture
def endpoints_v2(newsroom):
    article = newsroom["article"]
    return [
        API,
        f"{API}?type=prism_news.ArticlePage",
        f"{API}?type=prism_news.CategoryIndexPage",
        f"{API}{article.pk}/",
        f"{API}find/",
        "/api/v2/images/",
        f"/api/v2/images/{article.hero_image_id}/",
    ]


def test_v2_never_answers_5xx(client, endpoints_v2):
    fuzz(client, endpoints_v2, V2_PARAMETERS)


def v3_query_parameters(client):
    """Every query parameter of v3's GET operations, as its OpenAPI document lists them."""
    schema = client.get("/api/v3/openapi.json").json()
    names = set()
    for path in schema["paths"].values():
        for parameter in path.get("get", {}).get("parameters", []):
            if parameter["in"] == "query":
                names.add(parameter["name"])
    return sorted(names)


def test_v3_never_answers_5xx(client, newsroom):
    article = newsroom["article"]
    names = v3_query_parameters(client)
    assert {"limit", "offset", "search", "type", "child_of", "html_path", "site"} <= set(names)
    endpoints = [
        "/api/v3/pages/",
        "/api/v3/pages/?type=prism_news.ArticlePage",
        f"/api/v3/pages/{article.pk}/",
        "/api/v3/pages/find/",
        "/api/v3/images/",
        f"/api/v3/images/{article.hero_image_id}/",
        "/api/v3/documents/",
        "/api/v3/redirects/",
    ]
    fuzz(client, endpoints, names + FIELD_FILTERS)


def percent_encoded(data):
    return "".join(f"%{byte:02X}" for byte in data)


#: Path components as find's html_path may carry them: words, any text, and
#: percent-encoded bytes (any bytes, a lone surrogate's UTF-8, a NUL).
COMPONENTS = st.one_of(
    st.sampled_from(["politics", "pax-silica", "en", "ja", "..", "%00", "%2500"]),
    st.text(max_size=6),
    st.binary(max_size=6).map(percent_encoded),
    st.integers(0xD800, 0xDFFF).map(
        lambda c: percent_encoded(chr(c).encode("utf-8", "surrogatepass"))
    ),
)
PATHS = st.lists(COMPONENTS, max_size=4).map(lambda parts: "/" + "/".join(parts) + "/")


def test_find_decodes_any_html_path_into_an_answer(client, newsroom):
    """Whatever html_path decodes to, find answers a redirect, a 400 naming it or a 404."""
    client.raise_request_exception = False

    @FUZZ
    @given(st.sampled_from([f"{API}find/", "/api/v3/pages/find/"]), PATHS)
    @example(f"{API}find/", "/%00/")  # the 500 DataError on PostgreSQL that issue 19 found
    @example("/api/v3/pages/find/", "/politics/%00/")
    def never_a_server_error(endpoint, path):
        response = client.get(endpoint, {"html_path": path})
        assert response.status_code in (302, 400, 404), (endpoint, path, response.content)
        if response.status_code == 400:
            data = response.json()
            assert (data.get("message") or data.get("detail")).startswith("html_path: ")

    never_a_server_error()
