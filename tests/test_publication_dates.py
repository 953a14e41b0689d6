"""A live article dated later than now is read at its URL but listed nowhere until its
``published_at``; whatever keeps a listing (the response cache, the kept counts) stops
keeping it at that moment, with no publish to tell it (prism_news.publication_dates)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from prism_news.caching.dependencies import collecting
from prism_news.models import ArticlePage
from prism_news.publication_dates import next_publication

from .api_fixtures import home_with_politics
from .factories import ArticlePageFactory

CACHE_ON = {"RESPONSE_CACHE": True, "API_COUNT_CACHE": True}
AHEAD = 60  # seconds
TITLE = "Zqahead story"

#: Every listing the test reads (v3's answers are not kept by the response cache:
#: docs/caching.md; their counts are).
LISTINGS = {
    "home": "/",
    "section": "/politics/",
    "feed": "/feeds/rss/",
    "section feed": "/politics/feeds/atom/",
    "v2 listing": "/api/v2/pages/?type=prism_news.ArticlePage&fields=title",
    "v2 pages of every type": "/api/v2/pages/?fields=title&limit=50",
    "v2 search": "/api/v2/pages/?type=prism_news.ArticlePage&search=zqahead",
    "search page": "/search/?q=zqahead",
    "sitemap": "/sitemap-ja.xml",
    "news sitemap": "/news-sitemap.xml",
    "v3 listing": "/api/v3/pages/?type=prism_news.ArticlePage",
    "v3 pages of every type": "/api/v3/pages/?limit=50",
}


@pytest.fixture
def site(db, prism_settings, django_capture_on_commit_callbacks):
    prism_settings(**CACHE_ON)
    with django_capture_on_commit_callbacks(execute=True):
        return home_with_politics(articles=3)


@pytest.fixture
def ahead(site, django_capture_on_commit_callbacks):
    """A live article dated AHEAD seconds from now, published as an editor would."""
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePageFactory(parent=site, title=TITLE, slug="ahead")
        article.published_at = timezone.now() + timedelta(seconds=AHEAD)
        article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def names(response):
    """Whether ``response`` names the article (by title, or by URL in a sitemap)."""
    assert response.status_code == 200, response.content[:300]
    body = response.content.decode()
    return TITLE in body or "/politics/ahead/" in body


def test_listed_nowhere_before_its_date_and_everywhere_after(client, ahead, clock):
    kept = [name for name in LISTINGS if not name.startswith("v3 ")]
    for name, url in LISTINGS.items():
        assert not names(client.get(url)), name
        if name in kept:
            assert client.get(url)["X-Prism-Cache"] == "hit", name  # kept meanwhile
    clock.advance(AHEAD + 1)  # its date has come: no publish, no signal
    for name, url in LISTINGS.items():
        response = client.get(url)
        if name in kept:
            assert response["X-Prism-Cache"] == "miss", name
        assert names(response), name


def test_read_at_its_url_before_its_date(client, ahead):
    assert names(client.get(ahead.url))
    assert client.get(f"/api/v2/pages/{ahead.pk}/").json()["title"] == TITLE
    assert client.get(f"/api/v3/pages/{ahead.pk}/").json()["title"] == TITLE
    found = client.get("/api/v2/pages/find/", {"html_path": ahead.url})
    assert found.status_code == 302


def test_the_kept_counts_count_it_from_its_date(client, ahead, clock):
    v2 = "/api/v2/pages/?type=prism_news.ArticlePage&limit=1"
    v3 = "/api/v3/pages/?type=prism_news.ArticlePage&limit=1"
    assert client.get(v2).json()["meta"]["total_count"] == 3
    assert client.get(v3).json()["count"] == 3
    assert client.get("/politics/").context["articles"].paginator.count == 3
    # Other sets of filters: made anew, their counts read from the cache.
    assert client.get(v2 + "&offset=1").json()["meta"]["total_count"] == 3
    clock.advance(AHEAD + 1)
    assert client.get(v2).json()["meta"]["total_count"] == 4
    assert client.get(v2 + "&offset=1").json()["meta"]["total_count"] == 4
    assert client.get(v3).json()["count"] == 4
    assert client.get("/politics/").context["articles"].paginator.count == 4


def test_not_a_related_article_before_its_date(client, site, ahead, clock):
    sibling = ArticlePage.objects.get(title="Politics 0")
    related = f"/api/v2/pages/{sibling.pk}/?fields=related"
    titles = [card["title"] for card in client.get(related).json()["related"]]
    assert TITLE not in titles and titles
    clock.advance(AHEAD + 1)
    titles = [card["title"] for card in client.get(related).json()["related"]]
    assert TITLE in titles


def test_the_next_publication_is_the_earliest_to_come(site, clock):
    assert next_publication() is None  # outside a response: nothing keeps a listing
    with collecting():
        assert next_publication() is None
    soon = timezone.now() + timedelta(seconds=30)
    later = timezone.now() + timedelta(hours=1)
    ArticlePage.objects.filter(title="Politics 1").update(published_at=later)
    ArticlePage.objects.filter(title="Politics 2").update(published_at=soon)
    store_cleared()
    with collecting() as dependencies:
        assert next_publication() == soon
    assert dependencies.expires == soon
    clock.advance(31)
    with collecting():
        assert next_publication() == later


def store_cleared():
    """Forget the kept moment (``update()`` sends no signal: the test's own shortcut)."""
    from prism_news.caching import store
    from prism_news.publication_dates import NEXT_PUBLICATION_KEY

    store.cache().delete(NEXT_PUBLICATION_KEY)
