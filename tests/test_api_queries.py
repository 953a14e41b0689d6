"""SQL query budgets: counts, not timings (timings live in benchmarks/).

Each count is of a request made with cold caches after a warm-up (tests/query_budget.py),
so renditions, site root paths and content types are read, not found in a cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prism_news.models import ArticlePageAuthor, RelatedArticlePin

from .api_fixtures import API, image_body, make_articles, translate
from .factories import ArticlePageFactory, AuthorFactory, ImageFactory, source
from .query_budget import count_queries


@pytest.fixture
def many_articles(category):
    return make_articles(category, 50)


@pytest.mark.parametrize("fields", ["", "&fields=*"])
def test_article_listing_query_count_does_not_grow_with_page_size(client, many_articles, fields):
    url = f"{API}?type=prism_news.ArticlePage{fields}&limit="
    at_10 = count_queries(client, url + "10")
    at_50 = count_queries(client, url + "50")
    assert at_10 == at_50
    assert at_50 <= 17


@pytest.mark.parametrize(
    ("fields", "read"),
    [
        ("", set()),  # the card reads none of them
        ("&fields=tags", {"articlepagetag"}),
        ("&fields=authors,-title", {"articlepageauthor"}),
        ("&fields=*", {"articlesource", "articlepagetag", "articlepageauthor"}),
    ],
)
def test_a_listing_fetches_only_the_rows_its_fields_show(client, many_articles, fields, read):
    url = f"{API}?type=prism_news.ArticlePage{fields}&limit=10"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = {"articlesource", "articlepagetag", "articlepageauthor"}
    fetched = {t for t in tables for q in queries if f'FROM "prism_news_{t}"' in q["sql"]}
    assert fetched == read


def test_filtered_listing_is_flat_too(client, many_articles):
    url = f"{API}?type=prism_news.ArticlePage&tag=shared&publisher=Reuters&limit="
    assert count_queries(client, url + "10") == count_queries(client, url + "50")


def test_article_detail_does_not_grow_with_body_related_sources_tags(client, category, en):
    """One of each (image, related, source, tag, translation) against ten images, four
    related articles, three sources, five tags: the count must not grow."""
    others = [
        ArticlePageFactory(
            parent=category, title=f"Other {i}", hero_image=ImageFactory(), hero_image_alt="x"
        )
        for i in range(4)
    ]
    small = ArticlePageFactory(
        parent=category,
        title="Small",
        hero_image=ImageFactory(),
        hero_image_alt="A chart",
        ai_involvement="analysis",
        sources=[source()],
        tags=["a"],
        body=image_body([ImageFactory()], link_to=others[0]),
    )
    ArticlePageAuthor.objects.create(page=small, author=AuthorFactory())
    RelatedArticlePin.objects.create(page=small, article=others[0])
    translate(small, en, title="Small (en)")
    big = ArticlePageFactory(
        parent=category,
        title="Big",
        hero_image=ImageFactory(),
        hero_image_alt="A chart",
        ai_involvement="analysis",
        sources=[source(), source(publisher="AP"), source(publisher="Reuters")],
        tags=["a", "b", "c", "d", "e"],
        body=image_body([ImageFactory() for _ in range(10)], link_to=others[0]),
    )
    ArticlePageAuthor.objects.create(page=big, author=AuthorFactory())
    for other in others:
        RelatedArticlePin.objects.create(page=big, article=other)
    translate(big, en, title="Big (en)")

    small_count = count_queries(client, f"{API}{small.pk}/")
    big_count = count_queries(client, f"{API}{big.pk}/")
    response = client.get(f"{API}{big.pk}/").json()
    assert len(response["related"]) == 4
    assert len([b for b in response["body"] if b["type"] == "image"]) == 10
    assert len(response["translations"]) == 1
    assert big_count <= small_count
    assert big_count <= 27


def test_v3_article_listing_query_count_does_not_grow_with_page_size(client, many_articles):
    url = "/api/v3/pages/?type=prism_news.ArticlePage&limit="
    at_10 = count_queries(client, url + "10")
    at_50 = count_queries(client, url + "50")
    assert at_10 == at_50
    # 9, and with cold caches the next publication date (prism_news.publication_dates),
    # which the cache keeps until a publish.
    assert at_50 <= 10
