"""/sitemap.xml (an index) and the sitemap of each language with hreflang alternates,
/news-sitemap.xml and robots.txt. Paging, caching and invalidation are in
tests/test_sitemap_index.py."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import PageViewRestriction

from .factories import ArticlePageFactory, CategoryIndexPageFactory

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def relative(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_locations(client):
    """The sitemaps the index names (absolute URLs), the news sitemap left out."""
    index = parsed(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    found = [element.find("sm:loc", NS).text for element in index.findall("sm:sitemap", NS)]
    return [url for url in found if not url.endswith("/news-sitemap.xml")]


def entries(client, url=None):
    """``{loc: element}`` of a sitemap, parsed as XML; without ``url``, of every sitemap
    the index names (each URL in one sitemap only)."""
    if url is not None:
        root = parsed(client, url)
        return {url.find("sm:loc", NS).text: url for url in root.findall("sm:url", NS)}
    found = {}
    for location in sitemap_locations(client):
        page = entries(client, relative(location))
        assert not set(page) & set(found), location
        found |= page
    return found


def alternates(element):
    return {
        link.get("hreflang"): link.get("href")
        for link in element.findall("xhtml:link", NS)
        if link.get("rel") == "alternate"
    }


def test_every_language_with_its_alternates_and_lastmod(client, bilingual):
    story, en_story = bilingual["story"], bilingual["en_story"]
    story.save_revision().publish()
    story.refresh_from_db()
    urls = entries(client)
    expected = {story.full_url, en_story.full_url, bilingual["lonely"].full_url}
    expected |= {bilingual[key].full_url for key in ("home", "en_home", "politics", "policy")}
    assert expected <= set(urls)
    pair = {"ja": story.full_url, "en": en_story.full_url, "x-default": story.full_url}
    assert alternates(urls[story.full_url]) == pair
    assert alternates(urls[en_story.full_url]) == pair
    assert alternates(urls[bilingual["lonely"].full_url]) == {}
    lastmod = urls[story.full_url].find("sm:lastmod", NS).text
    assert lastmod == timezone.localtime(story.last_published_at).date().isoformat()


@pytest.fixture
def hidden(bilingual):
    politics = bilingual["politics"]
    pages = [
        ArticlePageFactory(parent=politics, title="Draft", live=False),
        ArticlePageFactory(
            parent=politics, title="Expired", expire_at=timezone.now() - datetime.timedelta(1)
        ),
        ArticlePageFactory(parent=politics, title="Private"),
    ]
    PageViewRestriction.objects.create(page=pages[-1], restriction_type="login")
    members = CategoryIndexPageFactory(parent=bilingual["home"], title="Members", slug="members")
    pages += [members, ArticlePageFactory(parent=members, title="Members only")]
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    PageViewRestriction.objects.create(page=bilingual["en_story"], restriction_type="login")
    return [*pages, bilingual["en_story"]]


def test_hidden_pages_never_appear(client, hidden, bilingual):
    text = "".join(client.get(relative(url)).content.decode() for url in sitemap_locations(client))
    assert bilingual["story"].full_url in text
    for page in hidden:
        assert page.full_url not in text, page.title
    # The private translation is not offered as an alternate either.
    assert alternates(entries(client)[bilingual["story"].full_url]) == {}


def make_old(now):
    from prism_news.models import ArticlePage

    ArticlePage.objects.update(published_at=now - datetime.timedelta(days=5))


def test_news_sitemap_lists_the_last_48_hours(client, bilingual, prism_settings):
    politics = bilingual["politics"]
    now = timezone.now()
    make_old(now)
    fresh = ArticlePageFactory(
        parent=politics,
        title="Fresh & <new> ]]> story",
        published_at=now - datetime.timedelta(hours=2),
    )
    ArticlePageFactory(parent=politics, title="Old", published_at=now - datetime.timedelta(days=3))
    hidden = ArticlePageFactory(
        parent=politics, title="Private", published_at=now - datetime.timedelta(hours=1)
    )
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    response = client.get("/news-sitemap.xml")
    assert b"]]>" not in response.content
    urls = entries(client, "/news-sitemap.xml")
    assert set(urls) == {fresh.full_url}
    news = urls[fresh.full_url].find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Prism News"
    assert news.find("news:publication/news:language", NS).text == "ja"
    assert news.find("news:title", NS).text == "Fresh & <new> ]]> story"
    published = datetime.datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.published_at
    prism_settings(NEWS_SITEMAP_HOURS=1)
    assert entries(client, "/news-sitemap.xml") == {}


def test_news_sitemap_names_each_language(client, bilingual):
    from .api_fixtures import translate

    now = timezone.now()
    make_old(now)
    story = ArticlePageFactory(parent=bilingual["politics"], title="速報", published_at=now)
    en_story = translate(story, bilingual["en_home"].locale, title="Breaking")
    urls = entries(client, "/news-sitemap.xml")
    languages = {
        loc: element.find("news:news/news:publication/news:language", NS).text
        for loc, element in urls.items()
    }
    assert languages == {story.full_url: "ja", en_story.full_url: "en"}


def test_sitemaps_answer_conditional_requests(client, bilingual):
    from wagtail.models import Page

    for page in Page.objects.live().filter(depth__gt=1):
        page.specific.save_revision().publish()
    newest = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    older = newest - datetime.timedelta(days=1)
    Page.objects.filter(depth__gt=1).update(last_published_at=older)
    japanese = Page.objects.live().filter(depth__gt=2, locale__language_code="ja").first()
    Page.objects.filter(pk=japanese.pk).update(last_published_at=newest)
    for url in ("/sitemap.xml", "/sitemap-ja.xml"):
        first = client.get(url)
        # The newest page's date (as Django's sitemap views), not the time of the request:
        # a later request must still be "not modified".
        assert first["Last-Modified"] == http_date(newest.timestamp())
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        since = first["Last-Modified"]
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_robots_txt_points_at_both_sitemaps(client, bilingual):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Sitemap: http://localhost/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
