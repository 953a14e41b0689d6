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
