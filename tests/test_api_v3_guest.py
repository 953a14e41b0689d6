"""v3 with API_V3_CHECK_ALL_ENDPOINTS off (the app's default): prism_news's rules for
prism_news's pages, Wagtail's answers for the host's.

The example site turns the setting on (tests/settings.py imports it), so the other v3
tests run with it on; these turn it off.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from .factories import ArticlePageFactory, ImageFactory
from .test_leak_matrix import CASES, IDENTITIES, api_doors, log_in, world  # noqa: F401 (fixture)

V3 = "/api/v3/pages/"
LONG = "x" * 501


@pytest.fixture
def off(prism_settings):
    prism_settings(API_V3_CHECK_ALL_ENDPOINTS=False)


@pytest.fixture
def pages(off, home, category):
    """Visible and hidden articles, and host pages (plain Wagtail pages) beside them."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    visible = ArticlePageFactory(parent=category, title="zqvisible story", slug="visible")
    hidden = {
        "draft": ArticlePageFactory(parent=category, title="zqdraft story", live=False),
        "expired": ArticlePageFactory(parent=category, title="zqexpired story", expire_at=past),
        "private": ArticlePageFactory(parent=category, title="zqprivate story"),
    }
    PageViewRestriction.objects.create(page=hidden["private"], restriction_type="login")
    economy = home.add_child(instance=Page(title="Economy", slug="economy"))
    hidden["alias"] = hidden["private"].create_alias(parent=economy)
    host = home.add_child(instance=Page(title="zqhost page", slug="host-page"))
    # Wagtail's public API shows a live page past its expiry date (until publish_scheduled
    # unpublishes it); the host's pages keep Wagtail's rule.
    host_expired = home.add_child(
        instance=Page(title="zqhost expired", slug="host-expired", expire_at=past)
    )
    return {
        "visible": visible,
        "hidden": hidden,
        "host": host,
        "host_expired": host_expired,
        "category": category,
    }


def text(response):
    assert response.status_code == 200, (response.status_code, response.content)
    return response.content.decode()


def test_hidden_articles_stay_hidden_with_the_setting_off(client, pages):
    category = pages["category"]
    listings = "\n".join(
        text(client.get(url))
        for url in [
            f"{V3}?limit=50",
            f"{V3}?type=prism_news.ArticlePage&limit=50",
            f"{V3}?type=wagtailcore.Page&limit=50",
            f"{V3}?child_of={category.pk}&limit=50",
            f"{V3}?search=story&limit=50",
            f"{V3}?locale=ja&limit=50",
        ]
    )
    assert "zqvisible story" in listings
    for name, page in pages["hidden"].items():
        assert f"/api/v3/pages/{page.pk}/" not in listings, name
        assert client.get(f"{V3}{page.pk}/").status_code == 404, name
        assert client.get(f"{V3}find/", {"id": page.pk}).status_code == 404, name
    for name in ("draft", "expired", "private"):
        assert f"zq{name} story" not in listings, name
        path = pages["hidden"][name].url_path.split("/", 2)[2]
        assert client.get(f"{V3}find/", {"html_path": path}).status_code == 404, name
    assert client.get(f"{V3}?child_of={pages['hidden']['private'].pk}").status_code == 422


def test_the_hosts_pages_follow_wagtails_rules(client, pages):
    listing = text(client.get(f"{V3}?limit=50"))
    assert "zqhost page" in listing and "zqhost expired" in listing
    assert client.get(f"{V3}{pages['host_expired'].pk}/").status_code == 200
    found = client.get(f"{V3}find/", {"html_path": "/host-expired/"})
    assert found.status_code == 302
    assert found["Location"].startswith(f"{V3}{pages['host_expired'].pk}/")


def test_the_checks_apply_to_requests_about_prism_news_pages(client, pages):
    article = pages["visible"]
    typed = client.get(V3, {"type": "prism_news.ArticlePage", "title": LONG})
    assert typed.status_code == 400
    assert typed.json()["detail"] == "title: the value is longer than 500 characters"
    assert client.get(f"{V3}{article.pk}/", {"x": LONG}).status_code == 400
    assert client.get(f"{V3}find/", {"id": article.pk, "x": LONG}).status_code == 400
    path = {"html_path": "/politics/visible/", "x": LONG}
    assert client.get(f"{V3}find/", path).status_code == 400


def not_ours(response):
    """Not prism_news's 400 (which names the parameter in ``detail``)."""
    return response.status_code != 400 or ":" not in response.json().get("detail", "")


def test_the_hosts_endpoints_answer_as_wagtail_does(client, pages):
    ImageFactory(title="zqimage")
    images = client.get("/api/v3/images/", {"title": LONG})
    assert images.status_code == 200
    assert images.json()["items"] == []
    assert "zqimage" in text(client.get("/api/v3/images/"))
    host = pages["host"]
    assert text(client.get(f"{V3}{host.pk}/", {"x": LONG}))
    found = client.get(f"{V3}find/", {"html_path": "/host-page/", "x": LONG})
    assert found.status_code == 302
    assert not_ours(client.get(f"{V3}?limit=0"))
    assert text(client.get(V3, {"type": "wagtailcore.Page", "title": LONG}))


def test_the_openapi_document_is_wagtails(client, off):
    schema = client.get("/api/v3/openapi.json").json()
    for path in ("/api/v3/pages/", "/api/v3/images/"):
        for parameter in schema["paths"][path]["get"]["parameters"]:
            node = parameter.get("schema", {})
            variants = [node, *node.get("anyOf", [])]
            assert not any("maxLength" in variant for variant in variants), parameter


def test_no_v3_door_shows_a_hidden_case_with_the_setting_off(client, off, world):  # noqa: F811
    """The leak matrix's v3 doors, as each of its visitors (tests/test_leak_matrix.py)."""
    doors = {name: door for name, door in api_doors(world).items() if name.startswith("v3 ")}
    leaks, errors = [], []
    for identity in IDENTITIES:
        log_in(client, world, identity)
        for door, (url, open_) in doors.items():
            response = client.get(url)
            if (response.status_code < 400) != open_:
                errors.append((identity, door, response.status_code))
            text = response.content.decode(errors="replace")
            leaks += [(identity, door, case) for case, marker in CASES.items() if marker in text]
    assert leaks == []
    assert errors == []
