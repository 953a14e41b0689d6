"""The response cache: what a change invalidates (exactly), HTTP validators, and no
stale card anywhere after a publish. Counts and behaviour, not timings."""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from prism_news.caching import store
from prism_news.caching.invalidation import invalidate_now
from prism_news.models import ArticlePage, ArticlePageAuthor, NewsroomSettings, RelatedArticlePin

from .api_fixtures import translate
from .factories import (
    ArticlePageFactory,
    AuthorFactory,
    CategoryIndexPageFactory,
    ImageFactory,
    source,
)

CACHE_ON = {"RESPONSE_CACHE": True, "API_COUNT_CACHE": True, "CACHE_MAX_AGE": 30,
            "CACHE_S_MAXAGE": 600}  # fmt: skip


def build_module_data(request):
    """The example site's home page (it lists the latest articles) in ja and en, two
    sections and three published stories: built once for this module's tests
    (tests/shared_data.py), each of which starts from it as it was built."""
    from django.conf import settings
    from django.test import Client, TestCase, override_settings
    from wagtail.models import Locale, Site

    from home.models import HomePage

    en = Locale.objects.get_or_create(language_code="en")[0]
    with override_settings(PRISM_NEWS={**settings.PRISM_NEWS, **CACHE_ON}):
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Prism News", slug="prism-home")
        )
        Site.objects.filter(is_default_site=True).update(root_page=home)
        category = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
        economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
        author = AuthorFactory(name="Mari Saeki")
        a = ArticlePageFactory(parent=category, title="Alpha", slug="alpha", tags=["chips"],
                               hero_image=ImageFactory(), hero_image_alt="A chart")  # fmt: skip
        b = ArticlePageFactory(parent=category, title="Beta", slug="beta", tags=["chips"])
        c = ArticlePageFactory(parent=economy, title="Gamma", slug="gamma", tags=["oil"],
                               hero_image=ImageFactory(), hero_image_alt="Oil")  # fmt: skip
        ArticlePageAuthor.objects.create(page=a, author=author)
        RelatedArticlePin.objects.create(page=b, article=a)
        translate(home, en)
        with TestCase.captureOnCommitCallbacks(execute=True):
            for page in (a, b, c):
                page.save_revision().publish()
    urls = {
        "api_list": "/api/v2/pages/?type=prism_news.ArticlePage",
        "api_list_en": "/api/v2/pages/?type=prism_news.ArticlePage&locale=en",
        "api_a": f"/api/v2/pages/{a.pk}/",
        "api_b": f"/api/v2/pages/{b.pk}/",
        "api_c": f"/api/v2/pages/{c.pk}/",
        "html_a": "/politics/alpha/",
        "html_b": "/politics/beta/",
        "html_c": "/economy/gamma/",
        "html_politics": "/politics/",
        "html_economy": "/economy/",
        "html_home": "/",
        "html_home_en": "/en/",
    }
    # The renditions the pages show, made once rather than by each test's first request.
    client = Client()
    for url in urls.values():
        client.get(url)
    return {"a": a, "b": b, "c": c, "economy": economy, "author": author, "urls": urls}


@pytest.fixture
def site(module_data, prism_settings):
    prism_settings(**CACHE_ON)
    return module_data


def fetch_all(client, urls):
    return {name: client.get(url) for name, url in urls.items()}


def warm(client, urls):
    first = fetch_all(client, urls)
    for name, response in first.items():
        assert response.status_code == 200, (name, response.status_code)
    again = fetch_all(client, urls)
    assert {n: r["X-Prism-Cache"] for n, r in again.items()} == dict.fromkeys(urls, "hit")


def states(client, urls):
    return {
        name: response.get("X-Prism-Cache") for name, response in fetch_all(client, urls).items()
    }


def publish(page, commit, **changes):
    page = ArticlePage.objects.get(pk=page.pk) if isinstance(page, ArticlePage) else page
    for name, value in changes.items():
        setattr(page, name, value)
    with commit(execute=True):
        page.save_revision().publish()


# Each change, what it must make stale (answered anew), and what must stay cached.
def retitle_a(s, commit):
    publish(s["a"], commit, title="Alpha, retitled")


def unpublish_c(s, commit):
    with commit(execute=True):
        ArticlePage.objects.get(pk=s["c"].pk).unpublish()


def edit_author(s, commit):
    with commit(execute=True):
        s["author"].name = "Mari Saeki-Tanaka"
        s["author"].save()


def edit_settings(s, commit):
    settings = NewsroomSettings.for_site(s["a"].get_site())
    with commit(execute=True):
        settings.publisher_name = "Prism Daily"
        settings.save()


def edit_image_of_a(s, commit):
    image = ArticlePage.objects.get(pk=s["a"].pk).hero_image
    with commit(execute=True):
        image.title = "Another title"
        image.focal_point_x = 10
        image.save()


def rename_economy(s, commit):
    publish(s["economy"], commit, title="Business")


def translate_b(s, commit):
    with commit(execute=True):
        translate(s["b"], Page.objects.get(depth=2, locale__language_code="en").locale)


def move_c_to_politics(s, commit):
    with commit(execute=True):
        ArticlePage.objects.get(pk=s["c"].pk).move(s["a"].get_parent(), "last-child")


def delete_b(s, commit):
    with commit(execute=True):
        ArticlePage.objects.get(pk=s["b"].pk).delete()


def restrict_c(s, commit):
    with commit(execute=True):
        PageViewRestriction.objects.create(
            page=s["c"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )


ALL_HTML = {"html_a", "html_b", "html_c", "html_politics", "html_economy", "html_home",
            "html_home_en"}  # fmt: skip
CHANGES = [
    (retitle_a, {"api_list", "api_list_en", "api_a", "api_b", "html_a", "html_b",
                 "html_politics", "html_home"},
     {"api_c", "html_c", "html_economy", "html_home_en"}),
    (unpublish_c, {"api_list", "api_c", "html_c", "html_economy", "html_home"},
     {"api_a", "api_b", "html_a", "html_b", "html_politics", "html_home_en"}),
    (edit_author, {"api_a", "html_a"}, {"api_b", "api_c", "html_b", "html_c", "html_home"}),
    (edit_settings, ALL_HTML | {"api_a", "api_b", "api_c"}, set()),
    (edit_image_of_a, {"api_a", "api_b", "api_list", "html_a", "html_b", "html_politics",
                       "html_home"}, {"api_c", "html_c", "html_economy", "html_home_en"}),
    (rename_economy, ALL_HTML | {"api_c", "api_list"}, set()),
    (translate_b, {"api_b", "html_b", "api_list", "api_list_en", "html_home_en"},
     {"api_a", "api_c", "html_a", "html_c", "html_home", "html_economy"}),
    (move_c_to_politics, {"api_c", "html_c", "html_politics", "html_economy", "api_list",
                          "api_a", "api_b"}, {"html_home_en"}),
    (delete_b, {"api_b", "html_b", "api_list", "api_a", "html_a", "html_politics"},
     {"api_c", "html_c", "html_economy", "html_home_en"}),
    (restrict_c, ALL_HTML | {"api_c", "api_list"}, {"api_a", "api_b"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "stale", "cached"), CHANGES, ids=[c[0].__name__ for c in CHANGES]
)
def test_a_change_invalidates_exactly_what_shows_it(
    site, client, change, stale, cached, django_capture_on_commit_callbacks
):
    urls = site["urls"]
    warm(client, urls)
    change(site, django_capture_on_commit_callbacks)
    after = states(client, urls)
    for name in stale:
        assert after[name] != "hit", f"{change.__name__}: {name} served stale from the cache"
    for name in cached:
        assert after[name] == "hit", f"{change.__name__}: {name} was invalidated needlessly"


def test_no_stale_card_after_a_publish(site, client, django_capture_on_commit_callbacks):
    warm(client, site["urls"])
    publish(site["a"], django_capture_on_commit_callbacks, title="Alpha, retitled")
    listing = client.get(site["urls"]["api_list"]).json()
    assert "Alpha, retitled" in [item["title"] for item in listing["items"]]
    related = client.get(site["urls"]["api_b"]).json()["related"]
    assert related[0]["title"] == "Alpha, retitled"
    for name in ("html_b", "html_politics", "html_home"):
        html = client.get(site["urls"][name]).content.decode()
        assert "Alpha, retitled" in html and ">Alpha<" not in html, name


def test_a_hit_makes_no_query_and_answers_the_same_bytes(site, client, prism_settings):
    # The waiting invalidations are read once per interval (docs/caching.md), and again
    # after a process applied some (the test data leaves a few): here by the first two
    # requests; however long they take, the third comes within the interval.
    prism_settings(RESPONSE_CACHE_PENDING_INTERVAL=59)
    url = site["urls"]["api_a"]
    client.get(url)
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Prism-Cache"] == "hit" and len(queries) == 0
    assert second.content == first.content and second["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", ["api_a", "api_list", "html_a", "html_home"])
def test_validators_and_shared_cache_headers(site, client, name):
    url = site["urls"][name]
    response = client.get(url)
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=30", "s-maxage=600", "stale-while-revalidate=60"} <= control
    assert "Cookie" not in response.get("Vary", "")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_public_api_reads_no_session_so_cookies_change_nothing(site, client, admin_client):
    url = site["urls"]["api_a"]
    anonymous = client.get(url)
    editor = admin_client.get(url)
    assert editor.content == anonymous.content and "Cookie" not in editor.get("Vary", "")


def test_a_page_behind_a_password_is_never_kept(site, client):
    PageViewRestriction.objects.create(
        page=site["c"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = client.get(site["urls"]["html_c"])
        assert response.get("X-Prism-Cache") is None  # the password form: not cacheable
        assert "public" not in response.get("Cache-Control", "")


def test_nothing_outlives_an_expiry_date(site, client, clock, django_capture_on_commit_callbacks):
    import math

    # Sooner than CACHE_MAX_AGE (30 s), so both ages must be cut to fit.
    expire_at = timezone.now() + timedelta(seconds=20)
    publish(site["a"], django_capture_on_commit_callbacks, expire_at=expire_at)

    def ages(url):
        """max-age and s-maxage of a GET, and the seconds to the expiry when it was sent."""
        left = math.ceil((expire_at - timezone.now()).total_seconds())
        response = client.get(url)
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        found = {p.split("=")[0]: int(p.split("=")[1]) for p in control if "=" in p}
        return found, max(left, 0)

    # Nobody keeps the page, nor the listing showing A's card, past the expiry, however
    # long the machine took to get here (the defaults would be minutes).
    found, left = ages(site["urls"]["html_a"])
    assert found["max-age"] <= left and found["s-maxage"] <= left
    found, left = ages(site["urls"]["api_list"])
    assert found["s-maxage"] <= left
    clock.advance(21)  # past the expiry, without waiting for it
    assert client.get(site["urls"]["html_a"]).status_code == 404
    titles = [i["title"] for i in client.get(site["urls"]["api_list"]).json()["items"]]
    assert "Alpha" not in titles


def test_a_response_made_while_a_change_commits_is_not_kept(site):
    started = store.now()
    invalidate_now({f"page:{site['a'].pk}"})  # committed while the response was being made
    assert not store.unchanged_since({f"page:{site['a'].pk}"}, started)
    assert store.unchanged_since({f"page:{site['a'].pk}"}, store.now())


def check_the_correction_wins(site, client, clock, skew, commit):
    """Server B, its clock off by ``skew`` seconds, renders and keeps the article, its
    detail, the listing and the total; server A, its clock right, publishes a
    correction. Every answer after that is the correction, on either server."""
    urls = {name: site["urls"][name] for name in ("html_a", "api_a", "api_list", "html_home")}
    # Every article dated before either server's "now", so both list them all (articles
    # are listed from their date on by the answering server's clock, as expiry dates are
    # read: prism_news.publication_dates).
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ArticlePage.objects.update(published_at=an_hour_ago)
    clock.advance(skew)  # server B
    warm(client, urls)
    total = client.get(urls["api_list"] + "&limit=1").json()["meta"]["total_count"]
    clock.advance(-skew)  # server A
    publish(site["a"], commit, title="Alpha, corrected")
    with commit(execute=True):
        ArticlePageFactory(
            parent=site["a"].get_parent(),
            title="Delta",
            sources=[source()],
            published_at=an_hour_ago,
        ).save_revision().publish()
    for server_skew in (0, skew):  # A, then B again
        clock.advance(server_skew)
        answers = fetch_all(client, urls)
        for name, response in answers.items():
            assert "Alpha, corrected" in response.content.decode(), name
        listing = client.get(urls["api_list"] + "&limit=1").json()
        assert listing["meta"]["total_count"] == total + 1
        clock.advance(-server_skew)


@pytest.mark.parametrize("skew", [60, -60, 0.05])
def test_a_server_whose_clock_is_off_cannot_freeze_a_correction(
    site, client, clock, skew, django_capture_on_commit_callbacks
):
    check_the_correction_wins(site, client, clock, skew, django_capture_on_commit_callbacks)


@pytest.fixture
def redis_cache(settings, prism_settings):
    """The response cache in the machine's Redis (127.0.0.1:6379, its own key prefix),
    through django-redis as in production: the generation counter is Redis's INCR."""
    from django.core.cache import caches

    prefix = f"prism-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,
        "redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        },
    }
    prism_settings(RESPONSE_CACHE_ALIAS="redis")
    cache = caches["redis"]
    yield cache
    cache.delete_pattern("*")
    cache.close()


def test_a_clock_ahead_cannot_freeze_a_correction_in_redis(
    site, client, clock, redis_cache, django_capture_on_commit_callbacks
):
    check_the_correction_wins(site, client, clock, 60, django_capture_on_commit_callbacks)
    assert isinstance(
        redis_cache.get(store.GENERATION_KEY.format(redis_cache.get(store.EPOCH_KEY))), int
    )


def test_a_lost_clock_starts_a_new_epoch_and_keeps_nothing_stale(site, client):
    """The cache loses the generation counter (a restart, an eviction): what was kept
    under the old count is never served as fresh, even if a new count reaches it."""
    urls = {name: site["urls"][name] for name in ("html_a", "html_c")}
    warm(client, urls)
    cache = store.cache()
    epoch = cache.get(store.EPOCH_KEY)
    for _ in range(5):  # the entries were made a few generations in
        invalidate_now({"unrelated"})
    warm(client, urls)
    cache.delete(store.GENERATION_KEY.format(epoch))
    # A change to A, invalidated after the loss: a counter counting again from zero
    # would give A's tag a generation below its entry's.
    invalidate_now({f"page:{site['a'].pk}"})
    assert cache.get(store.EPOCH_KEY) != epoch
    assert states(client, urls) == {"html_a": "miss", "html_c": "miss"}
    assert states(client, urls) == {"html_a": "hit", "html_c": "hit"}


def test_a_database_cache_keeps_its_clock_through_a_quiet_spell(
    site, client, settings, prism_settings
):
    """Django's database cache (the example site's default) sets a counter again with the
    alias's default timeout on ``incr``: the clock must still outlive it, or every quiet
    spell would start a new epoch and make the whole cache stale."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "prism_news_test_cache",
            "TIMEOUT": 1,
        },
    }
    call_command("createcachetable", "prism_news_test_cache", verbosity=0)
    prism_settings(RESPONSE_CACHE_ALIAS="shared")
    urls = {"html_c": site["urls"]["html_c"]}
    warm(client, urls)
    epoch = store.cache().get(store.EPOCH_KEY)
    invalidate_now({"unrelated"})
    time.sleep(1.2)  # longer than the alias's default timeout
    invalidate_now({"unrelated"})  # a lost counter would start a new epoch here
    assert store.cache().get(store.EPOCH_KEY) == epoch
    assert states(client, urls) == {"html_c": "hit"}


def test_the_total_is_counted_again_when_listings_change(
    site, client, django_capture_on_commit_callbacks
):
    category = site["a"].get_parent()
    url = site["urls"]["api_list"] + "&limit=1"
    assert client.get(url).json()["meta"]["total_count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(
            parent=category, title="Delta", sources=[source()]
        ).save_revision().publish()
    assert client.get(url + "&offset=1").json()["meta"]["total_count"] == 4


def test_a_section_page_counts_again_when_an_article_joins(
    site, client, prism_settings, django_capture_on_commit_callbacks
):
    politics = site["a"].get_parent().specific
    politics.page_size = 1
    politics.save()
    pages = client.get("/politics/").context["articles"].paginator.num_pages
    assert pages == 2
    with django_capture_on_commit_callbacks(execute=True):
        delta = ArticlePageFactory(parent=politics, title="Delta", sources=[source()])
        delta.save_revision().publish()
    assert client.get("/politics/").context["articles"].paginator.num_pages == 3
