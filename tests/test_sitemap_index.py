"""The sitemap index at any size, and sitemaps, feeds and ``find`` in the response cache:
pages of ``SITEMAP_PAGE_SIZE`` URLs, every URL reachable from the index, a fixed number
of queries per sitemap page, invalidation on publish, unpublish and move, and what a
conditional request costs the cache."""

import math
import xml.etree.ElementTree as ET

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from prism_news.caching import store
from prism_news.models import ArticlePage

from .api_fixtures import translate
from .factories import ArticlePageFactory
from .test_sitemaps import NS, entries, relative, sitemap_locations

CACHE_ON = {"RESPONSE_CACHE": True, "CACHE_MAX_AGE": 30, "CACHE_S_MAXAGE": 600}


def visible_urls():
    """Every page a reader may see, by Wagtail's own URL making (model instances)."""
    from prism_news.visibility import visible_q

    pages = Page.objects.filter(visible_q(), depth__gt=1).specific()
    return {page.full_url for page in pages}


def add_articles(bilingual, count, translated=0):
    made = [ArticlePageFactory(parent=bilingual["politics"]) for _ in range(count)]
    for article in made[:translated]:
        translate(article, bilingual["en_home"].locale, title=f"EN {article.title}")
    return made


@pytest.mark.parametrize("articles", [3, 8])
def test_the_index_names_pages_of_the_page_size_and_every_url_once(
    client, bilingual, prism_settings, articles
):
    prism_settings(SITEMAP_PAGE_SIZE=3)
    add_articles(bilingual, articles, translated=2)
    locations = sitemap_locations(client)
    by_language = {}
    for url in locations:
        language = relative(url).split("?")[0].removeprefix("/sitemap-").removesuffix(".xml")
        by_language.setdefault(language, []).append(url)
    ja = 4 + 2 + articles  # home, politics, policy, story, lonely ... and the new ones
    en = 4 + 2  # home, politics, policy, story and the two translations
    assert {k: len(v) for k, v in by_language.items()} == {
        "en": math.ceil(en / 3),
        "ja": math.ceil(ja / 3),
    }
    for url in locations:
        assert len(entries(client, relative(url))) <= 3, url
    # Every visible page, in exactly one sitemap (entries() checks "once").
    assert set(entries(client)) == visible_urls()
    index = ET.fromstring(client.get("/sitemap.xml").content)
    named = [element.find("sm:loc", NS).text for element in index.findall("sm:sitemap", NS)]
    assert "http://localhost/news-sitemap.xml" in named
    for element in index.findall("sm:sitemap", NS):  # sitemaps.org: loc, then lastmod
        assert [child.tag.split("}")[1] for child in element] in (["loc"], ["loc", "lastmod"])


@pytest.mark.parametrize(
    "url", ["/sitemap-ja.xml?p=3", "/sitemap-ja.xml?p=0", "/sitemap-ja.xml?p=abc",
            "/sitemap-ja.xml?p=99999999999999999999999", "/sitemap-xx.xml"],
)  # fmt: skip
def test_a_page_past_the_end_or_no_page_is_a_404(client, bilingual, prism_settings, url):
    prism_settings(SITEMAP_PAGE_SIZE=3)
    assert client.get(url).status_code == 404


def sitemap_queries(client, url):
    client.get(url)  # content types and site root paths, as a running site has them
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"][:60] for query in queries]


def test_a_sitemap_page_costs_the_same_queries_whatever_its_length(
    client, bilingual, prism_settings
):
    prism_settings(SITEMAP_PAGE_SIZE=50)
    small = sitemap_queries(client, "/sitemap-ja.xml")
    small_index = sitemap_queries(client, "/sitemap.xml")
    add_articles(bilingual, 12, translated=6)
    assert len(entries(client, "/sitemap-ja.xml")) == 5 + 12
    large = sitemap_queries(client, "/sitemap-ja.xml")
    # The locale, the site and its root page, the root's translations, the rows, the
    # rows' translations, and (the response cache off here: not kept) the next
    # published_at to come (prism_news.publication_dates).
    assert len(small) == len(large) == 7, large
    # The site (with its root page), the root's translations (with what may hide pages
    # below them), the counts, the earliest expiry among aliases' originals, their
    # locales, the next published_at.
    assert len(small_index) == len(sitemap_queries(client, "/sitemap.xml")) == 6


# --- In the response cache


@pytest.fixture
def cached(bilingual, prism_settings):
    prism_settings(**CACHE_ON, SITEMAP_PAGE_SIZE=50)
    return bilingual


def publish(page, commit):
    with commit(execute=True):
        page.save_revision().publish()


def test_a_publish_unpublish_or_move_shows_in_the_sitemaps_at_once(
    client, cached, django_capture_on_commit_callbacks
):
    urls = ["/sitemap.xml", "/sitemap-ja.xml", "/sitemap-en.xml"]
    for url in urls:
        assert client.get(url)["X-Prism-Cache"] == "miss"
        assert client.get(url)["X-Prism-Cache"] == "hit"
    fresh = ArticlePageFactory.build(title="Fresh", slug="fresh", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        cached["politics"].add_child(instance=fresh)
    publish(fresh, django_capture_on_commit_callbacks)
    fresh = ArticlePage.objects.get(pk=fresh.pk)
    assert client.get("/sitemap-ja.xml")["X-Prism-Cache"] == "miss"
    assert fresh.full_url in entries(client, "/sitemap-ja.xml")
    # A page without a translation is in no other language's sitemap.
    assert client.get("/sitemap-en.xml")["X-Prism-Cache"] == "hit"
    assert client.get("/sitemap.xml")["X-Prism-Cache"] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        fresh.unpublish()
    assert fresh.full_url not in entries(client, "/sitemap-ja.xml")

    # The ja version of a translated page is an alternate in the en sitemap.
    story = ArticlePage.objects.get(pk=cached["story"].pk)
    client.get("/sitemap-en.xml")
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    en = entries(client, "/sitemap-en.xml")[cached["en_story"].full_url]
    assert en.findall("xhtml:link", NS) == []

    lonely = ArticlePage.objects.get(pk=cached["lonely"].pk)
    before = lonely.full_url
    with django_capture_on_commit_callbacks(execute=True):
        lonely.move(cached["home"], pos="last-child")
    lonely.refresh_from_db()
    listed = entries(client, "/sitemap-ja.xml")
    assert before not in listed and lonely.full_url in listed


def test_a_conditional_request_costs_one_cache_round_trip(client, cached, settings, prism_settings):
    settings.CACHES = {
        **settings.CACHES,
        "counted": {"BACKEND": "tests.test_sitemap_index.CountingCache"},
    }
    prism_settings(RESPONSE_CACHE_ALIAS="counted")
    for url in ["/sitemap-ja.xml", "/sitemap.xml", "/feeds/rss/"]:
        first = client.get(url)
        assert first["X-Prism-Cache"] == "miss"
        CountingCache.calls.clear()
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again["X-Prism-Cache"] == "hit"
        assert CountingCache.calls == ["get_many"], url
        # A process that has not served it yet reads the entry's tags once more.
        store._hints.clear()
        CountingCache.calls.clear()
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert CountingCache.calls == ["get_many", "get_many"], url


class CountingCache(LocMemCache):
    """A local-memory cache that notes each call made of it: one call is one round trip
    to a networked cache (the calls LocMemCache makes of itself, as ``get_many`` of
    ``get``, are not noted)."""

    calls = []
    _inside = False

    def __init__(self, name="counted", params=None):
        super().__init__(name, params or {})

    def _counted(self, name, *args, **kwargs):
        if CountingCache._inside:
            return getattr(super(), name)(*args, **kwargs)
        self.calls.append(name)
        CountingCache._inside = True
        try:
            return getattr(super(), name)(*args, **kwargs)
        finally:
            CountingCache._inside = False

    def get_many(self, *args, **kwargs):
        return self._counted("get_many", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._counted("get", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._counted("set_many", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._counted("add", *args, **kwargs)


def test_feeds_are_kept_and_a_new_article_shows_at_once(
    client, cached, django_capture_on_commit_callbacks
):
    urls = ["/feeds/rss/", "/politics/feeds/atom/", "/en/feeds/rss/"]
    for url in urls:
        assert client.get(url)["X-Prism-Cache"] == "miss"
        assert client.get(url)["X-Prism-Cache"] == "hit"
    fresh = ArticlePageFactory.build(title="Breaking zqfresh", slug="breaking", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        cached["politics"].add_child(instance=fresh)
    publish(fresh, django_capture_on_commit_callbacks)
    for url in urls[:2]:
        response = client.get(url)
        assert response["X-Prism-Cache"] == "miss" and b"zqfresh" in response.content, url
    assert client.get("/en/feeds/rss/")["X-Prism-Cache"] == "hit"  # another language
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=fresh.pk).unpublish()
    assert b"zqfresh" not in client.get("/feeds/rss/").content


def test_find_is_kept_and_follows_a_move_at_once(
    client, cached, django_capture_on_commit_callbacks
):
    lonely = cached["lonely"]
    old = f"/api/v2/pages/find/?html_path={lonely.url}"
    first = client.get(old)
    assert first.status_code == 302 and first["X-Prism-Cache"] == "miss"
    again = client.get(old)
    assert again["X-Prism-Cache"] == "hit"
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert f"/api/v2/pages/{lonely.pk}/" in again["Location"]
    missing = "/api/v2/pages/find/?html_path=/nowhere/"
    assert client.get(missing).status_code == 404
    assert "X-Prism-Cache" not in client.get(missing)  # a 404 is never kept

    page = Page.objects.get(pk=lonely.pk)
    with django_capture_on_commit_callbacks(execute=True):
        page.move(cached["home"], pos="last-child")
    page.refresh_from_db()
    assert client.get(old).status_code == 404
    new = client.get(f"/api/v2/pages/find/?html_path={page.url}")
    assert new.status_code == 302 and f"/api/v2/pages/{lonely.pk}/" in new["Location"]

    # A section renamed moves the paths below it.
    story = cached["story"]
    path = f"/api/v2/pages/find/?html_path={story.url}"
    assert client.get(path).status_code == 302
    politics = cached["politics"]
    politics.slug = "world"
    publish(politics, django_capture_on_commit_callbacks)
    assert client.get(path).status_code == 404

    # Unpublished: found no more.
    moved = f"/api/v2/pages/find/?html_path={page.url}"
    assert client.get(moved)["X-Prism-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        page.specific.unpublish()
    assert client.get(moved).status_code == 404
