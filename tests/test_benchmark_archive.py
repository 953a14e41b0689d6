"""The benchmark's bulk-built archive is ordinary Wagtail content (so what the benchmark
measures is what a real newsroom serves)."""

from wagtail.models import Page

from benchmarks.archive import build_archive
from prism_news.models import ArticlePage, ArticlePageTag


def test_the_bulk_archive_routes_serves_and_keeps_the_tree_sound(home, client):
    built = build_archive(40, categories=4, translated=0.5, image_pool=3)
    assert len(built["ja"]) == 40 and len(built["en"]) == 20
    assert ArticlePage.objects.filter(live=True).count() == 60
    # The tag rows carry their article's state, as saves would have written it.
    rows = ArticlePageTag.objects.values_list(
        "live", "locale_id", "published_at", "content_object__locale_id",
        "content_object__published_at",
    )  # fmt: skip
    assert len(rows) == 180 and all(r[0] and r[1:3] == r[3:5] for r in rows)
    # Treebeard's own consistency check: paths, depths and child counts.
    assert all(not problems for problems in Page.find_problems())
    listing = client.get("/api/v2/pages/", {"type": "prism_news.ArticlePage", "limit": 50})
    assert listing.status_code == 200 and listing.json()["meta"]["total_count"] == 60
    article = ArticlePage.objects.get(pk=built["en"][0])
    detail = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert [t["locale"] for t in detail["translations"]] == ["ja"]
    assert len(detail["tags"]) == 3 and len(detail["sources"]) == 2 and detail["hero_image"]
    assert client.get(article.url).status_code == 200
    assert client.get(ArticlePage.objects.get(pk=built["ja"][-1]).url).status_code == 200
    # Building more adds to what is there.
    more = build_archive(8, categories=4, image_pool=3)
    assert ArticlePage.objects.count() == 72 and not set(more["ja"]) & set(built["ja"])
    assert all(not problems for problems in Page.find_problems())
