"""Cached answers that match the answer: only the query parameters that change an answer
are part of its cache key (junk parameters on HTML pages reuse the page's entry: no new
entry, no render; a parameter the page reads, ``page``, still has its own; the API still
refuses unknown ones), and cached counts stop counting an article when its expiry date
passes, without a publish. Counts of entries and renders, not timings."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prism_news.caching import keys, purge, store
from prism_news.models import ArticlePage, CategoryIndexPage

from .api_fixtures import home_with_politics

CACHE_ON = {"RESPONSE_CACHE": True, "API_COUNT_CACHE": True}
JUNK = 200


@pytest.fixture
def site(db, prism_settings, django_capture_on_commit_callbacks):
    prism_settings(**CACHE_ON)
    # As if each change committed: its invalidation is applied, not left waiting (a
    # waiting one would rightly keep every answer it concerns out of the cache).
    with django_capture_on_commit_callbacks(execute=True):
        return home_with_politics(articles=3, page_size=2)


def entries():
    """The response entries in the (local-memory) response cache."""
    return [key for key in store.cache()._cache if keys.ENTRY_KEY.format("") in key]


@pytest.fixture
def renders(monkeypatch):
    """How many times a section page was rendered (its context made)."""
    made = []
    real = CategoryIndexPage.get_context

    def counting(self, request, *args, **kwargs):
        made.append(request.get_full_path())
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(CategoryIndexPage, "get_context", counting)
    return made


def test_junk_parameters_make_one_entry_and_one_render(site, client, renders):
    before = len(entries())
    answers = []
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/politics/?junk=0")
        rendering = len(queries)
        for n in range(1, JUNK):
            answers.append(client.get(f"/politics/?junk={n}&utm_source=x{n}"))
    assert first["X-Prism-Cache"] == "miss"
    assert len(renders) == 1
    assert len(entries()) - before == 1
    assert len(queries) == rendering  # the other 199 answers made no query
    assert {a["X-Prism-Cache"] for a in answers} == {"hit"}
    assert {a.content for a in answers} == {first.content}
    # The clean URL is the same entry too.
    clean = client.get("/politics/")
    assert (clean["X-Prism-Cache"], clean.content) == ("hit", first.content)
    assert len(renders) == 1


def test_a_parameter_the_page_reads_has_its_own_entry(site, client, renders):
    one, two = client.get("/politics/"), client.get("/politics/?page=2")
    assert two["X-Prism-Cache"] == "miss" and two.content != one.content
    assert "Politics 0" in two.content.decode() and "Politics 0" not in one.content.decode()
    assert len(renders) == 2
    again = client.get("/politics/?junk=1&page=2")
    assert (again["X-Prism-Cache"], again.content) == ("hit", two.content)
    assert len(renders) == 2


def test_the_edge_keeps_no_url_with_ignored_parameters(site, client, settings):
    settings.WAGTAILFRONTENDCACHE = {  # recorded for purging; nothing is sent in this test
        "edge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    junk = client.get("/politics/?page=2&junk=1")
    assert "s-maxage=0" in junk["Cache-Control"]
    # The URL recorded for purging is the one without the junk, which the edge may keep.
    assert purge.take({f"section:{site.path}"}) == {"http://testserver/politics/?page=2"}
    clean = client.get("/politics/?page=2")
    assert clean["X-Prism-Cache"] == "hit"
    assert "s-maxage=0" not in clean["Cache-Control"]


def test_the_home_page_of_the_host_ignores_junk_too(site, client):
    first = client.get("/?fbclid=1")
    again = client.get("/?fbclid=2")
    assert (first["X-Prism-Cache"], again["X-Prism-Cache"]) == ("miss", "hit")


def test_unknown_api_parameters_are_still_refused_and_not_kept(site, client):
    before = len(entries())
    url = "/api/v2/pages/?type=prism_news.ArticlePage"
    assert client.get(url + "&junk=1").status_code == 400
    assert len(entries()) == before
    # A known one still has its own entry (every API parameter is part of the key).
    assert client.get(url + "&limit=1")["X-Prism-Cache"] == "miss"
    assert client.get(url + "&limit=2")["X-Prism-Cache"] == "miss"
    assert client.get(url + "&limit=1")["X-Prism-Cache"] == "hit"


def test_cached_counts_drop_an_article_when_its_expiry_passes(
    site, client, clock, django_capture_on_commit_callbacks
):
    # The oldest article expires: it is on neither the section's first page nor the
    # listing's first item, so only the counts show it.
    oldest = ArticlePage.objects.get(title="Politics 0")
    oldest.expire_at = timezone.now() + timedelta(seconds=20)
    with django_capture_on_commit_callbacks(execute=True):
        oldest.save_revision().publish()
    listing = "/api/v2/pages/?type=prism_news.ArticlePage&limit=1"
    section = "/politics/"
    assert client.get(listing).json()["meta"]["total_count"] == 3
    assert 'rel="next"' in client.get(section).content.decode()  # 3 articles, 2 a page
    for url in (listing, section):
        assert client.get(url)["X-Prism-Cache"] == "hit"
    # The counts alone, without the answers that hold them (the other set of filters
    # and the page's context are made anew, the counts read from the cache).
    assert client.get(listing + "&offset=1").json()["meta"]["total_count"] == 3

    clock.advance(21)  # past the expiry; no publish, no publish_scheduled
    assert client.get(listing).json()["meta"]["total_count"] == 2
    assert client.get(listing + "&offset=1").json()["meta"]["total_count"] == 2
    page = client.get(section)
    assert page.context["articles"].paginator.count == 2
    assert 'rel="next"' not in page.content.decode()


def test_the_counts_expiry_is_the_earliest_to_come(site, client, clock):
    from prism_news.visibility import count_with_expiry

    soon, later = timezone.now() + timedelta(seconds=30), timezone.now() + timedelta(hours=1)
    ArticlePage.objects.filter(title="Politics 1").update(expire_at=later)
    ArticlePage.objects.filter(title="Politics 2").update(expire_at=soon)
    assert count_with_expiry(ArticlePage.objects.published()) == (3, soon)
    clock.advance(31)
    assert count_with_expiry(ArticlePage.objects.published()) == (2, later)
