"""API benchmark: SQL queries and response times of prism_news's v2 pages endpoint,
against Wagtail's stock PagesAPIViewSet on the same data.

    make bench            # writes docs/performance.md

Bounded: builds ARTICLES articles once, then makes REPEAT requests per case, in process
(Django's test client: no network, no server), and stops.
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from wagtail.models import Page  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 120))
REPEAT = int(os.environ.get("BENCH_REPEAT", 15))


def build():
    from prism_news.models import RelatedArticlePin
    from tests.api_fixtures import make_articles
    from tests.factories import CategoryIndexPageFactory

    home = Page.objects.get(depth=2)
    category = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
    articles = make_articles(category, ARTICLES, body_images=3)
    for other in articles[1:5]:
        RelatedArticlePin.objects.create(page=articles[0], article=other)
    return articles[0]


def measure(client, url):
    client.get(url)  # warm up: renditions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        count = len(queries)  # read inside: the log is reset once the context exits
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times), max(times)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    featured = build()
    client = Client()
    listing = "pages/?type=prism_news.ArticlePage"
    stock = f"/stock-api/v2/{listing}&fields=*&limit="
    cases = [
        ("prism_news", "article listing, limit 10", f"/api/v2/{listing}&limit=10"),
        ("prism_news", "article listing, limit 50", f"/api/v2/{listing}&limit=50"),
        ("prism_news", "listing, limit 50, fields=*", f"/api/v2/{listing}&limit=50&fields=*"),
        ("prism_news", "article detail (4 related, 3 images)", f"/api/v2/pages/{featured.pk}/"),
        ("stock Wagtail", "article listing, limit 10, fields=*", stock + "10"),
        ("stock Wagtail", "article listing, limit 20, fields=*", stock + "20"),
    ]  # fmt: skip
    rows = []
    for endpoint, case, url in cases:
        count, median, worst = measure(client, url)
        rows.append(f"| {endpoint} | {case} | {count} | {median:.1f} | {worst:.1f} |")
        print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    rows = main()
    out = ROOT / "docs" / "performance.md"
    text = out.read_text()
    marker = "<!-- benchmark results -->"
    head = text.split(marker)[0]
    table = "\n".join(
        [
            marker,
            "",
            f"Measured with `make bench`: {ARTICLES} articles, median and worst of {REPEAT} "
            f"requests after one warm-up, in process (Django test client), "
            f"{connection.vendor}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores.",
            "",
            "| endpoint | request | SQL queries | median ms | worst ms |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    out.write_text(head + table)
