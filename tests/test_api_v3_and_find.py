"""find/?html_path= in every locale, Wagtail API v3 detail and its typed OpenAPI schema."""

import pytest

from .api_fixtures import API

OUR_FIELDS = [
    "reading_time", "category", "ai", "sources", "authors", "hero_image", "body",
    "disclaimer", "related", "translations", "json_ld",
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/politics/pax-silica/", "article"),
        ("politics/pax-silica", "article"),
        ("/ja/politics/pax-silica/", "article"),
        ("/en/politics/pax-silica/", "en_article"),
        ("/EN/politics/pax-silica/", "en_article"),
        ("/en/ai-policy/", "en_policy"),
    ],
)
def test_find_resolves_paths_in_every_locale(client, newsroom, path, key):
    response = client.get(f"{API}find/", {"html_path": path})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{API}{newsroom[key].pk}/?")


@pytest.mark.parametrize("path", ["/en/nowhere/", "/fr/politics/pax-silica/", "/politics/nope/"])
def test_find_unknown_paths_are_404(client, newsroom, path):
    assert client.get(f"{API}find/", {"html_path": path}).status_code == 404


def test_v3_detail_carries_our_fields(client, newsroom):
    article = newsroom["article"]
    v2 = client.get(f"{API}{article.pk}/").json()
    v3 = client.get(f"/api/v3/pages/{article.pk}/")
    assert v3.status_code == 200, v3.content
    data = v3.json()
    for field in OUR_FIELDS:
        assert data[field] == v2[field], field


def test_v3_schema_types_our_fields(client, newsroom):
    schema = client.get("/api/v3/openapi.json").json()
    components = schema["components"]["schemas"]
    article = components["ArticlePageSchema"]["properties"]

    def resolve(node):
        """Follow $ref and nullable anyOf to the concrete schema."""
        while True:
            if "$ref" in node:
                node = components[node["$ref"].rsplit("/", 1)[1]]
            elif "anyOf" in node:
                node = next(n for n in node["anyOf"] if n.get("type") != "null")
            else:
                return node

    for field in OUR_FIELDS:
        node = resolve(article[field])
        if node.get("type") == "array":
            if field == "body":
                # One typed schema per block type, told apart by "type".
                variants = node["items"]["anyOf"]
                names = {v["$ref"].rsplit("/", 1)[1] for v in variants}
                assert names == {
                    "HeadingBlock", "ParagraphBlock", "ListBlock", "QuoteBlock",
                    "ImageBlock", "EmbedBlock", "KeyPointsBlock",
                }  # fmt: skip
                continue
            node = resolve(node["items"])
        assert node.get("type") == "object" and node.get("properties"), (field, node)
    reading_time = resolve(article["reading_time"])["properties"]
    assert reading_time["minutes"]["type"] == "integer"
    assert resolve(article["ai"])["properties"]["involvement"]["enum"] == [
        "none", "assisted", "analysis", "generated",
    ]  # fmt: skip


def test_v3_locales_endpoint_is_restored(client, django_user_model):
    from wagtail.models import APIToken

    # Mounted again although wagtail_localize.locales replaces wagtail.locales;
    # like Wagtail's, it answers API token holders.
    assert client.get("/api/v3/locales/").status_code == 401
    admin = django_user_model.objects.create_superuser("admin", "a@x.test", "pw")
    _, key = APIToken.create_token(user=admin, name="tests")
    response = client.get("/api/v3/locales/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    assert "ja" in response.content.decode()


def query_parameter(schema, path, name):
    for parameter in schema["paths"][path]["get"]["parameters"]:
        if parameter["name"] == name and parameter["in"] == "query":
            return parameter
    raise AssertionError(f"{path} has no query parameter {name!r}")


@pytest.mark.parametrize("path", ["/api/v3/pages/", "/api/v3/images/"])
def test_v3_schema_states_the_bounds_it_enforces(client, newsroom, path):
    from prism_news.conf import get_settings

    conf = get_settings()
    schema = client.get("/api/v3/openapi.json").json()
    limit = query_parameter(schema, path, "limit")["schema"]
    offset = query_parameter(schema, path, "offset")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, conf["API_LIMIT_MAX"])
    assert (offset["minimum"], offset["maximum"]) == (0, conf["API_OFFSET_MAX"])
    search = query_parameter(schema, path, "search")["schema"]
    strings = [node for node in search.get("anyOf", [search]) if node.get("type") == "string"]
    assert strings and all(s["maxLength"] == conf["API_PARAMETER_MAX_LENGTH"] for s in strings)
    # What the schema says is what the API does, on both sides of each bound.
    for name, node in (("limit", limit), ("offset", offset)):
        assert client.get(path, {name: node["maximum"]}).status_code == 200
        assert client.get(path, {name: node["maximum"] + 1}).status_code == 400
        assert client.get(path, {name: node["minimum"]}).status_code == 200
        assert client.get(path, {name: node["minimum"] - 1}).status_code == 400
    longest = "x" * conf["API_PARAMETER_MAX_LENGTH"]
    assert client.get(path, {"search": longest}).status_code == 200
    assert client.get(path, {"search": longest + "x"}).status_code == 400


def test_v3_schema_states_the_largest_id(client, newsroom):
    schema = client.get("/api/v3/openapi.json").json()
    child_of = query_parameter(schema, "/api/v3/pages/", "child_of")["schema"]
    integer = next(node for node in child_of["anyOf"] if node.get("type") == "integer")
    assert integer["maximum"] == 2**63 - 1
    # A page id that large cannot be a page readers may see; one more is not an id at all.
    assert client.get("/api/v3/pages/", {"child_of": 2**63 - 1}).status_code == 422
    assert client.get("/api/v3/pages/", {"child_of": 2**63}).status_code == 400


def test_v3_find_resolves_paths_in_every_locale(client, newsroom):
    response = client.get("/api/v3/pages/find/", {"html_path": "/en/politics/pax-silica/"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/api/v3/pages/{newsroom['en_article'].pk}/")


def test_v3_token_holders_keep_wagtails_editor_view(client, newsroom, django_user_model):
    """The public rules are for callers without a token; a token is Wagtail's editor tier."""
    from wagtail.models import APIToken

    article = newsroom["article"]
    article.title = "Pax Silica, revised"
    article.save_revision()  # an unpublished draft
    admin = django_user_model.objects.create_superuser("admin", "a@x.test", "pw")
    _, key = APIToken.create_token(user=admin, name="tests")
    url = f"/api/v3/pages/{article.pk}/?version=draft"
    assert client.get(url).json()["title"] == "Pax Silica"
    drafted = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert drafted.json()["title"] == "Pax Silica, revised"
