"""The public API's visibility condition: made once per request, and without the parts
that cannot hide anything at the moment (view-restriction anti-join, alias check),
while staying exact when restrictions and hidden aliases exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from prism_news import visibility
from prism_news.api import listing, public, v3
from prism_news.visibility import with_hiders

from .api_fixtures import API
from .factories import ArticlePageFactory, CategoryIndexPageFactory

V3 = "/api/v3/pages/"
TYPE = "type=prism_news.ArticlePage"


@pytest.fixture
def builds(monkeypatch):
    """How often a request builds the visibility queryset (v2's site view and v3's guest
    view), counted by wrapping the real builders."""
    made = []
    for module, name in ((public, "build_site_view"), (v3, "build_guest_view")):
        real = getattr(module, name)

        def spy(request, real=real, name=name):
            made.append(name)
            return real(request)

        monkeypatch.setattr(module, name, spy)
    return made


@pytest.fixture
def articles(category):
    return [ArticlePageFactory(parent=category, title=f"Story {i}") for i in range(3)]


def _urls(article):
    path = article.url
    return {
        "v2 listing": f"{API}?{TYPE}&limit=10",
        "v2 listing, all pages": f"{API}?limit=10",
        "v2 detail": f"{API}{article.pk}/",
        "v2 detail of a section (parent field)": f"{API}{article.get_parent().pk}/",
        "v2 find": f"{API}find/?html_path={path}",
        "v3 listing": f"{V3}?{TYPE}&limit=10",
        "v3 listing, child_of": f"{V3}?{TYPE}&child_of={article.get_parent().pk}",
        "v3 detail": f"{V3}{article.pk}/",
        "v3 find": f"{V3}find/?html_path={path}",
    }


def test_each_request_builds_the_visibility_queryset_once(client, articles, builds):
    for label, url in _urls(articles[0]).items():
        builds.clear()
        response = client.get(url)
        assert response.status_code in (200, 302), (label, response.content[:300])
        assert len(builds) == 1, (label, builds)


def test_the_build_is_not_shared_between_requests(client, articles, builds):
    url = f"{API}?{TYPE}&limit=10"
    client.get(url)
    client.get(url)
    assert builds == ["build_site_view", "build_site_view"]


# --- What the condition leaves out, and when


def _site_hiders(site_root):
    roots = list(with_hiders(Page.objects.filter(pk=site_root.pk)))
    return visibility.hiders(roots)


def test_hiders_see_restrictions_and_hidden_aliases(home, category, articles):
    plain = _site_hiders(home)
    assert plain == visibility.Hiders(False, False, False)
    assert visibility.hiders() == visibility.Hiders(False, False, False)

    restriction = PageViewRestriction.objects.create(page=articles[0], restriction_type="login")
    assert _site_hiders(home) == visibility.Hiders(True, True, False)
    restriction.delete()

    # A restriction elsewhere (another tree) hides nothing of this site's own pages,
    # but an alias's original could stand there.
    other_home = Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other-site")
    )
    PageViewRestriction.objects.create(page=other_home, restriction_type="login")
    assert _site_hiders(home) == visibility.Hiders(False, True, False)

    # A live alias of a restricted original.
    secret = other_home.add_child(instance=Page(title="Secret", slug="secret"))
    secret.create_alias(parent=category)
    assert _site_hiders(home) == visibility.Hiders(False, True, True)
    assert visibility.hiders() == visibility.Hiders(True, True, True)


def test_an_alias_of_a_readable_original_hides_nothing(home, category, articles):
    section = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    articles[0].create_alias(parent=section)
    assert _site_hiders(home).aliases is False


def _count_sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1, counts
    return response, counts[0]


@pytest.fixture
def counting_the_set(monkeypatch):
    """Listings counted over their set, as those with filters on the articles themselves
    are (the unfiltered ones sum the kept group counts: tests/test_listing_counts.py)."""
    monkeypatch.setattr(listing, "group_filters", lambda request: None)


@pytest.mark.parametrize("url", [f"{API}?{TYPE}&limit=2", f"{V3}?{TYPE}&limit=2"])
def test_the_count_leaves_out_what_cannot_hide_anything(client, articles, url, counting_the_set):
    response, sql = _count_sql(client, url)
    assert "pageviewrestriction" not in sql
    assert "alias_of_id" not in sql
    assert _total(client, url) == 3


def _total(client, url):
    body = client.get(url).json()
    return body["meta"]["total_count"] if "meta" in body else body["count"]


@pytest.mark.parametrize("url", [f"{API}?{TYPE}&limit=2", f"{V3}?{TYPE}&limit=2"])
def test_the_count_stays_exact_with_restrictions_and_hidden_aliases(
    client, home, category, articles, url, counting_the_set
):
    assert _total(client, url) == 3
    PageViewRestriction.objects.create(page=articles[0], restriction_type="login")
    response, sql = _count_sql(client, url)
    assert "pageviewrestriction" in sql
    assert _total(client, url) == 2

    # An alias (in another section) of a restricted article stays hidden; an alias of
    # a readable one is listed.
    section = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    hidden_alias = articles[0].create_alias(parent=section)
    shown_alias = articles[1].create_alias(parent=section)
    response, sql = _count_sql(client, url)
    assert "alias_of_id" in sql
    assert _total(client, url) == 3
    ids = {item["id"] for item in client.get(url.replace("limit=2", "limit=10")).json()["items"]}
    assert shown_alias.pk in ids
    assert hidden_alias.pk not in ids
    assert articles[0].pk not in ids


# --- The kept count (v2 and v3), invalidated by what changes the listings


@pytest.fixture
def counting(prism_settings):
    prism_settings(API_COUNT_CACHE=True)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("COUNT(" in q["sql"] for q in queries)


@pytest.mark.parametrize("url", [f"{API}?{TYPE}&limit=2", f"{V3}?{TYPE}&limit=2"])
def test_the_kept_count_follows_restrictions_and_aliases(
    client, home, counting, category, articles, url, django_capture_on_commit_callbacks
):
    def change(make):  # invalidations are applied after the change commits
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    assert _total(client, url) == 3
    assert _count_queries(client, url) == 0  # kept

    restriction = change(
        lambda: PageViewRestriction.objects.create(page=articles[0], restriction_type="login")
    )
    assert _total(client, url) == 2
    change(restriction.delete)
    assert _total(client, url) == 3

    section = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    assert _total(client, url) == 3
    alias = change(lambda: articles[1].create_alias(parent=section))
    assert _total(client, url) == 4
    assert _count_queries(client, url) == 0
    change(alias.delete)
    assert _total(client, url) == 3


def test_v3_keeps_the_count_until_an_article_is_published(
    client, counting, category, articles, django_capture_on_commit_callbacks, counting_the_set
):
    url = f"{V3}?{TYPE}&limit=2"
    assert _count_queries(client, url) == 1
    assert _count_queries(client, url) == 0
    assert _count_queries(client, f"{V3}?{TYPE}&limit=3") == 0  # the window is not the set
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=category, title="New").save_revision().publish()
    assert _total(client, url) == 4


def test_v3_counts_listings_that_may_hold_the_hosts_pages_every_time(client, counting, articles):
    # A host page's publish does not invalidate prism_news's tags: not kept.
    url = f"{V3}?limit=2"
    assert _count_queries(client, url) == 1
    assert _count_queries(client, url) == 1
