"""Listing totals kept per section and locale (prism_news.listing_counts): exact after
every change, through the real entry points, and read without counting the archive."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from prism_news import listing_counts
from prism_news.listing_counts import count_listed, on_migrated, recount_all
from prism_news.models import ArticlePage, ListingCount
from prism_news.publication_dates import listed_q
from prism_news.visibility import visible_q

from .api_fixtures import API, translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory

ARTICLES = f"{API}?type=prism_news.ArticlePage"


def past(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def desk(home, category, en):
    """Two sections in ja, one translated to en, articles in both languages."""
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    made = [
        ArticlePageFactory(parent=category, title=f"P{i}", published_at=past(i + 1))
        for i in range(3)
    ]
    made.append(ArticlePageFactory(parent=economy, title="E0", published_at=past(5)))
    made.append(translate(made[0], en, title="P0 (en)"))
    return {"politics": category, "economy": economy, "articles": made, "home": home}


def real_count(site, locale=None, child_of=None, descendant_of=None):
    """What a listing counts: the visible, listed articles of the site with the filters."""
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    articles = ArticlePage.objects.none()
    for root in roots:
        articles |= ArticlePage.objects.filter(path__startswith=root.path)
    articles = articles.filter(visible_q(), listed_q())
    if locale:
        articles = articles.filter(locale__language_code=locale)
    if child_of:
        articles = articles.child_of(Page.objects.get(pk=child_of))
    if descendant_of:
        articles = articles.descendant_of(Page.objects.get(pk=descendant_of))
    return articles.count()


def assert_exact(desk):
    site = Site.objects.get(is_default_site=True)
    sections = [None, desk["politics"].pk, desk["economy"].pk]
    for locale in (None, "ja", "en"):
        for child_of in sections:
            for descendant_of in (None, desk["home"].pk):
                filters = {"locale": locale, "child_of": child_of, "descendant_of": descendant_of}
                kept = count_listed(site, **filters)
                assert kept is not None, filters
                assert kept[0] == real_count(site, **filters), filters


def test_the_counts_start_exact(desk):
    assert_exact(desk)
    assert ListingCount.objects.filter(count__gt=0).count() == 3  # politics ja/en, economy ja


def test_publish_unpublish_republish_and_drafts(desk):
    politics = desk["politics"]
    new = ArticlePageFactory(parent=politics, title="New", published_at=past(0), live=False)
    assert_exact(desk)
    new.save_revision().publish()
    assert_exact(desk)
    new.title = "New, draft"
    new.save_revision()  # a draft changes nothing
    assert_exact(desk)
    new.unpublish()
    assert_exact(desk)
    new.save_revision().publish()
    assert_exact(desk)


def test_move_delete_and_copy(desk):
    article = desk["articles"][1]
    article.move(desk["economy"], pos="last-child")
    assert_exact(desk)
    Page.objects.get(pk=article.pk).copy(to=desk["politics"], update_attrs={"slug": "copied"})
    assert_exact(desk)
    Page.objects.get(pk=article.pk).delete()
    assert_exact(desk)


def test_a_view_restriction_above_the_section(desk):
    restriction = PageViewRestriction.objects.create(
        page=desk["politics"], restriction_type="password", password="x"
    )
    assert_exact(desk)
    restriction.delete()
    assert_exact(desk)


def test_an_alias_and_its_original(desk):
    original = desk["articles"][2]
    original.create_alias(parent=desk["economy"], update_slug="aliased")
    assert_exact(desk)
    Page.objects.get(pk=original.pk).specific.unpublish()  # Wagtail unpublishes the alias too
    assert_exact(desk)


def test_expiry_and_a_date_to_come(desk):
    site = Site.objects.get(is_default_site=True)
    soon = timezone.now() + datetime.timedelta(hours=1)
    ahead = ArticlePageFactory(parent=desk["politics"], title="Ahead", live=False)
    ahead.published_at = soon
    ahead.save_revision().publish()
    ending = desk["articles"][0]
    ending.expire_at = soon + datetime.timedelta(hours=1)
    ending.save_revision().publish()
    assert_exact(desk)
    count, until = count_listed(site, locale="ja")
    assert until == soon  # the article dated later joins then
    # Past that moment the kept counts are not used: the listing counts instead.
    assert count_listed(site, locale="ja", now=soon + datetime.timedelta(seconds=1)) is None


def test_bulk_writes_are_made_good_by_a_recount_and_after_migrate(desk):
    expected = {(r.parent_id, r.locale_id): r.count for r in ListingCount.objects.all()}
    ListingCount.objects.all().delete()
    on_migrated(sender=None, using="default")  # a database from before the counts
    assert {(r.parent_id, r.locale_id): r.count for r in ListingCount.objects.all()} == expected
    ListingCount.objects.filter(parent=desk["politics"]).update(count=99)
    ListingCount.objects.create(parent=desk["home"], locale=desk["politics"].locale, count=7)
    recount_all()
    assert {(r.parent_id, r.locale_id): r.count for r in ListingCount.objects.all()} == expected


@pytest.mark.parametrize(
    "query", ["", "&locale=ja", "&locale=en", "&child_of={politics}", "&descendant_of={home}"]
)
@pytest.mark.parametrize("api", ["v2", "v3"])
def test_the_api_total_is_the_kept_sum_without_counting_articles(client, desk, query, api):
    query = query.format(politics=desk["politics"].pk, home=desk["home"].pk)
    url = (ARTICLES if api == "v2" else "/api/v3/pages/?type=prism_news.ArticlePage") + query
    ArticlePageFactory(parent=desk["politics"], title="Fresh", published_at=past(0))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "&limit=1")
    assert response.status_code == 200, response.content
    body = response.json()
    total = body["meta"]["total_count"] if api == "v2" else body["count"]
    everything = client.get(url + "&limit=50").json()["items"]
    assert total == len(everything)
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert not counting, counting  # the sum over the kept rows, not a count


def test_a_filter_on_the_articles_themselves_is_counted(client, desk):
    ArticlePageFactory(parent=desk["politics"], title="Tagged", published_at=past(0), tags=["x"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ARTICLES + "&tag=x&limit=1")
    assert response.json()["meta"]["total_count"] == 1
    assert any("COUNT(" in q["sql"].upper() for q in queries)


def test_a_group_recount_is_one_section_in_one_language(desk):
    article = desk["articles"][1]
    with CaptureQueriesContext(connection) as queries:
        listing_counts.recount({(desk["politics"].pk, article.locale_id)})
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counted) == 1
    assert f'"locale_id" = {article.locale_id}' in counted[0]
    assert desk["politics"].path in counted[0]


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="row locks: PostgreSQL (SQLite writes one at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_in_one_section_both_count(home, ja):
    politics = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics-c")
    drafts = [
        ArticlePageFactory(parent=politics, title=f"C{i}", published_at=past(1), live=False)
        for i in range(2)
    ]
    barrier, errors = threading.Barrier(2), []

    def publish(page_id):
        try:
            page = ArticlePage.objects.get(pk=page_id)
            revision = page.save_revision()
            barrier.wait(timeout=10)
            revision.publish()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(page.pk,)) for page in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    row = ListingCount.objects.get(parent=politics, locale=ja)
    assert row.count == 2
