"""The demo's absolute URLs follow the address it is served on (SITE_URL)."""

import os

import pytest
from django.core.management import call_command
from wagtail.models import Site

from prism_news.models import ArticlePage

from .shared_data import load_demo
from .test_frontend import Document

EN_STORY = "/en/politics/pax-silica-eurasia/"


# As newsroom/settings.py derives them from SITE_URL in the environment.
ON_8011 = {"SITE_URL": "http://127.0.0.1:8011", "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8011"}


def load_demo_again():
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)


def build_module_data(request):
    """The demo served on 8011, loaded once for this module (tests/shared_data.py)."""
    load_demo(**ON_8011)


@pytest.fixture
def demo_on_8011(module_data, settings, prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)  # as the example site runs
    for name, value in ON_8011.items():
        setattr(settings, name, value)


def test_site_api_html_and_feeds_use_the_served_address(demo_on_8011, client):
    base = "http://127.0.0.1:8011"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8011, base)
    article = ArticlePage.objects.get(slug="pax-silica-eurasia", locale__language_code="en")
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert detail["meta"]["html_url"] == base + EN_STORY
    assert detail["json_ld"]["url"] == base + EN_STORY
    doc = Document(client.get(EN_STORY).content.decode())
    assert doc.link("canonical") == [base + EN_STORY]
    hreflang = {link["hreflang"]: link["href"] for link in doc.links if link.get("hreflang")}
    assert hreflang["ja"] == base + "/politics/pax-silica-eurasia/"
    assert doc.json_ld[0]["publisher"]["logo"]["url"].startswith(base + "/media/")
    assert f"<link>{base}{EN_STORY}</link>".encode() in client.get("/en/feeds/rss/").content
    assert f"<loc>{base}/sitemap-en.xml</loc>".encode() in client.get("/sitemap.xml").content
    assert f"<loc>{base}{EN_STORY}</loc>".encode() in client.get("/sitemap-en.xml").content
    assert f"Sitemap: {base}/sitemap.xml".encode() in client.get("/robots.txt").content


def test_loading_again_moves_the_site_to_a_new_address(demo_on_8011, client, settings):
    settings.SITE_URL = "https://news.example.com"
    load_demo_again()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("news.example.com", 443)
    assert ArticlePage.objects.get(
        slug="pax-silica-eurasia", locale__language_code="en"
    ).full_url == ("https://news.example.com" + EN_STORY)


def test_the_review_line_reads_in_the_page_language(demo_on_8011, client):
    ja = client.get("/politics/pax-silica-eurasia/").content.decode()
    assert "編集部が確認" in ja
    assert "Chief Editor" not in ja
    en = client.get(EN_STORY).content.decode()
    assert "Reviewed by the editors on" in en
