"""The tag rows' copies of their article's live flag, locale and date, which the
related articles' shared-tags fill reads (prism_news.related).

- The fill gives what the old walk of the newest-first article index gave (kept
  here as the oracle), on seeded random archives.
- The copies stay in step through every way an article is published, unpublished,
  expired, copied, translated or imported.
- An article's detail and page cost the same number of queries however many
  articles share its tags.
"""

import datetime
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from prism_news import related
from prism_news.models import ArticlePage, ArticlePageTag, RelatedArticlePin

from . import test_publish_paths as paths
from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory
from .query_budget import count_queries
from .sampling import FULL
from .test_import import categories, line, run, write  # noqa: F401  (a fixture among them)


def oracle_fill(article, tag_ids, candidates):
    """The fill as it was: the newest SHARED_TAG_WINDOW rows of the pages joined with
    their tags, walked down the newest-first article index."""
    return list(
        candidates.filter(tagged_items__tag_id__in=tag_ids, published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[: related.SHARED_TAG_WINDOW]
    )


def stale_rows():
    """Tag rows whose copies differ from their article as stored, anywhere."""
    rows = ArticlePageTag.objects.values_list(
        "pk",
        "live",
        "locale_id",
        "published_at",
        "content_object__live",
        "content_object__locale_id",
        "content_object__published_at",
    )
    return [row for row in rows if row[1:4] != row[4:7]]


def copies(page):
    return set(
        ArticlePageTag.objects.filter(content_object_id=page.pk).values_list(
            "live", "locale_id", "published_at"
        )
    )


def assert_in_step(page, *, live):
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live is live
    assert ArticlePageTag.objects.filter(content_object_id=page.pk).exists()
    assert copies(page) == {(live, page.locale_id, page.published_at)}
    assert stale_rows() == []


# --- Same results as the old fill


TAGS = ["chips", "trade", "energy", "kazakhstan", "elections", "ports"]


def random_archive(rng, sections, en_sections):
    """Articles in two locales with random tags, dates (with ties), pins, and some that
    readers may not see: drafts, unpublished, expired, restricted, aliases."""
    now = timezone.now()
    moments = [now - datetime.timedelta(hours=rng.randint(1, 12)) for _ in range(8)]
    made = []
    for i in range(34):
        english = i % 4 == 3
        parent = rng.choice(en_sections if english else sections)
        page = ArticlePageFactory(
            parent=parent,
            title=f"Story {i}",
            tags=rng.sample(TAGS, rng.randint(0, 3)),
            published_at=rng.choice(moments),
        )
        fate = rng.random()
        if fate < 0.08:
            page.unpublish()
        elif fate < 0.14:
            page.expire_at = now - datetime.timedelta(minutes=5)
            page.save()
        elif fate < 0.2:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
        made.append(ArticlePage.objects.get(pk=page.pk))
    draft = ArticlePageFactory(parent=sections[0], title="Draft", tags=TAGS[:3], live=False)
    made.append(draft)
    # An alias shows its original; one of an original that goes private is hidden.
    for original in made[:2]:
        alias = original.create_alias(parent=sections[1], update_slug=f"alias-{original.pk}")
        made.append(alias.specific)
    PageViewRestriction.objects.create(page=made[1], restriction_type="login")
    for page in made:
        for pinned in rng.sample(made, rng.randint(0, 2)):
            RelatedArticlePin.objects.create(page=page, article=pinned)
    return made


# Two random archives with the full matrix (tests/sampling.py), one otherwise.
@pytest.mark.parametrize("seed", [1, 2] if FULL else [1])
def test_the_fill_gives_what_the_walk_of_the_newest_index_gave(
    seed, home, category, en, monkeypatch
):
    rng = random.Random(seed)
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    sections = [category, economy]
    en_sections = [translate(section, en) for section in sections]
    made = random_archive(rng, sections, en_sections)
    assert stale_rows() == []

    compared = filled = 0
    for window in (2, 5, related.SHARED_TAG_WINDOW):
        monkeypatch.setattr(related, "SHARED_TAG_WINDOW", window)
        for page in made:
            article = ArticlePage.objects.get(pk=page.pk)
            for count in (3, 12):
                new = related.related_articles(article, count=count)
                with monkeypatch.context() as old:
                    old.setattr(related, "_newest_tagged", oracle_fill)
                    expected = related.related_articles(article, count=count)
                assert new == expected, (seed, window, article.title, count)
                compared += 1
                filled += bool(new)
    # The comparison saw real lists: most articles get some.
    assert compared == 3 * len(made) * 2 and filled > compared // 2


def test_the_fill_ranks_within_the_window_of_the_newest_tagged_rows(category, monkeypatch):
    """Three shared tags on an old article lose to one on newer ones once the window
    is past it, as before."""
    now = timezone.now()
    article = ArticlePageFactory(parent=category, title="Main", tags=["a", "b", "c"])
    old_three = ArticlePageFactory(
        parent=category, tags=["a", "b", "c"], published_at=now - datetime.timedelta(days=9)
    )
    newer = [
        ArticlePageFactory(
            parent=category, tags=["a"], published_at=now - datetime.timedelta(days=i)
        )
        for i in range(1, 4)
    ]
    assert related.related_articles(article, count=2) == [old_three, newer[0]]
    monkeypatch.setattr(related, "SHARED_TAG_WINDOW", 3)
    # The three newest tag rows are the newer articles' "a": the old one is out.
    assert related.related_articles(article, count=3)[:3] == newer


# --- The copies follow the article through every path


@pytest.fixture
def tagged(monkeypatch):
    """test_publish_paths' articles, tagged."""

    def factory(**values):
        return ArticlePageFactory(tags=["chips", "trade"], **values)

    monkeypatch.setattr(paths, "ArticlePageFactory", factory)


ctx = paths.ctx  # the publish paths' fixture
# Paths that create an article of their own, without tags (the admin's create form is
# tested with tags below).
UNTAGGED = {paths.admin_create, paths.code_add_child_live}


@pytest.mark.parametrize(
    "path",
    [p for p in paths.ACCEPTING if p.run not in UNTAGGED],
    ids=[p.name for p in paths.ACCEPTING if p.run not in UNTAGGED],
)
def test_publishing_through_each_path_marks_the_rows_live(ctx, tagged, path):
    pk, responses = path.run(ctx, ok=True)
    paths.assert_no_server_error(responses)
    assert_in_step(ArticlePage.objects.get(pk=pk), live=True)


def test_admin_create_and_edit_by_post_carry_the_new_tags_and_date(ctx):
    from .admin_forms import create_form_data, edit_form_data, one_new_source

    url, data = create_form_data(
        ctx.admin_client, ctx.category, body=paths.BODY, title="New", slug="new", summary="S",
        ai_involvement="none", tags="chips, trade", **{"action-publish": "action-publish"},
    )  # fmt: skip
    data.update(one_new_source(title="Report", publisher="Reuters", url="https://a.test/"))
    assert ctx.admin_client.post(url, data).status_code == 302
    page = ArticlePage.objects.get(slug="new")
    assert_in_step(page, live=True)
    assert copies(page) == {(True, page.locale_id, page.published_at)}

    # An editor sets another date and tag on the live article, and publishes.
    data = edit_form_data(ctx.admin_client, page, body=paths.FORM_BODY)
    data.update({"tags": "energy", "published_at": "2024-05-01 09:30", "action-publish": "1"})
    response = ctx.admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.published_at.year == 2024
    assert [t.name for t in page.tags.all()] == ["energy"]
    assert_in_step(page, live=True)


def test_unpublishing_in_the_admin_marks_the_rows_and_the_alias_rows_not_live(ctx, tagged):
    page = paths.article(ctx, reviewed=True, live=True)
    alias = page.create_alias(parent=ctx.category, update_slug="alias")
    assert_in_step(alias, live=True)
    response = ctx.admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    # Wagtail unpublishes the alias through a generic Page.
    assert_in_step(page, live=False)
    assert_in_step(alias, live=False)


def test_bulk_unpublish_marks_the_rows_not_live(ctx, tagged):
    page = paths.article(ctx, reviewed=True, live=True)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    response = ctx.admin_client.post(f"{url}?id={page.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    assert_in_step(page, live=False)


def test_expiry_by_publish_scheduled_marks_the_rows_not_live(ctx, tagged):
    page = paths.article(ctx, reviewed=True, live=True)
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now())
    call_command("publish_scheduled")
    assert_in_step(page, live=False)


def test_a_copy_that_is_not_published_has_rows_not_live(ctx, tagged):
    original = paths.article(ctx, reviewed=True, live=True)
    data = {"new_title": original.title, "new_slug": "the-copy",
            "new_parent_page": ctx.category.pk, "copy_subpages": ""}  # fmt: skip
    url = reverse("wagtailadmin_pages:copy", args=[original.pk])
    assert ctx.admin_client.post(url, data).status_code == 302
    copy = ArticlePage.objects.get(slug="the-copy")
    assert_in_step(copy, live=False)
    assert_in_step(original, live=True)


def test_a_translation_carries_its_locale_and_follows_the_synchronised_date(ctx, tagged):
    pk, _responses = paths.save_target_publish(ctx, ok=True)  # wagtail-localize's save_target
    target = ArticlePage.objects.get(pk=pk)
    assert target.locale_id == ctx.en.pk
    assert_in_step(target, live=True)

    # The date is synchronised from the source: a new one reaches the translation's rows.
    source = ArticlePage.objects.exclude(pk=pk).get(translation_key=target.translation_key)
    source.published_at = (timezone.now() - datetime.timedelta(days=30)).replace(microsecond=0)
    source.save_revision().publish()
    translation = paths.Translation.objects.get(
        source__object_id=source.translation_key, target_locale=ctx.en
    )
    translation.source.update_from_db()
    with ctx.on_commit():
        translation.save_target(user=ctx.admin, publish=True)
    target = ArticlePage.objects.get(pk=target.pk)
    assert target.published_at == source.published_at
    assert_in_step(target, live=True)


def test_imported_drafts_have_rows_not_live_until_published(categories, tmp_path):  # noqa: F811
    ok, _out, err = run(write(tmp_path, line(tags=["chips", "trade"])))
    assert ok, err
    article = ArticlePage.objects.get()
    assert_in_step(article, live=False)
    assert len(copies(article)) == 1 and ArticlePageTag.objects.count() == 2
    article.record_review(None)
    article.save_revision().publish()
    assert_in_step(article, live=True)
    # A changed line (new tags) is a draft of the live article: its rows stay live.
    ok, _out, err = run(write(tmp_path, line(tags=["energy"])))
    assert ok, err
    assert_in_step(article, live=True)


def test_rows_added_in_code_take_their_article_state(category):
    from taggit.models import Tag

    page = ArticlePageFactory(parent=category, tags=["a"])
    row = ArticlePageTag.objects.create(content_object_id=page.pk, tag=Tag.objects.create(name="b"))
    assert (row.live, row.locale_id, row.published_at) == (True, page.locale_id, page.published_at)
    assert_in_step(page, live=True)


def test_sync_tagged_items_repairs_rows_after_a_queryset_update(category):
    page = ArticlePageFactory(parent=category, tags=["a", "b"])
    ArticlePage.objects.filter(pk=page.pk).update(published_at=timezone.now())
    Page.objects.filter(pk=page.pk).update(live=False)
    assert len(stale_rows()) == 2  # update() bypasses save(), as documented
    assert related.sync_tagged_items([page.pk]) == 2
    assert_in_step(page, live=False)


def test_the_migration_fills_the_copies_of_existing_rows(category, en):
    migration = importlib.import_module(
        "prism_news.migrations.0006_tagged_items_carry_article_state"
    )
    live = ArticlePageFactory(parent=category, tags=["a", "b"])
    draft = ArticlePageFactory(parent=category, tags=["a"], live=False)
    english = translate(live, en)
    ArticlePageTag.objects.update(live=False, locale=None, published_at=None)  # as before 0006
    assert len(stale_rows()) == 5

    migration.copy_article_state(apps, SimpleNamespace(connection=connection))

    assert stale_rows() == []
    assert_in_step(live, live=True)
    assert_in_step(english, live=True)
    assert_in_step(draft, live=False)


def test_a_host_page_save_costs_no_query(home):
    """The generic Page handler returns before any query for a page that is not ours."""
    home = Page.objects.get(pk=home.pk)

    with CaptureQueriesContext(connection) as queries:
        related.on_page_saved(Page, home)
    assert len(queries) == 0


# --- Cost does not grow with how many articles share the tags


def archive(category, count):
    now = timezone.now()
    for i in range(count):
        ArticlePageFactory(
            parent=category,
            tags=["chips", "trade"][: 1 + i % 2],
            published_at=now - datetime.timedelta(hours=i + 1),
        )


@pytest.mark.parametrize("url", ["api", "html"])
def test_an_article_costs_the_same_queries_at_two_archive_sizes(category, client, url):
    article = ArticlePageFactory(parent=category, title="Main", tags=["chips", "trade"])
    target = f"/api/v2/pages/{article.pk}/" if url == "api" else article.url
    archive(category, 5)
    small = count_queries(client, target)
    archive(category, 20)
    assert count_queries(client, target) == small


def test_the_html_page_and_the_api_show_the_same_related_articles(category, client):
    article = ArticlePageFactory(parent=category, title="Main", tags=["chips", "trade"])
    archive(category, 6)
    expected = related.related_articles(article)
    assert len(expected) == 4
    response = client.get(article.url)
    assert response.context["related_articles"] == expected
    api = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert [card["id"] for card in api["related"]] == [page.pk for page in expected]
