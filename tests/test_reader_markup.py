"""The reader pages' markup, as tools nobody here wrote found it: the Nu HTML checker
(vnu-jar from npm, run by Java) on the HTML the demo's pages serve, and quick checks of
what it and axe-core, Lighthouse found once (the icon, the lead image that must not wait,
landmark names, language labels, dates). axe-core itself runs in tests/test_accessibility.py.
"""

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone

from .factories import ArticlePageFactory
from .test_accessibility import NOT_INSTALLED, PAGES, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# An article published from code at a time with microseconds: Django's `date:'c'` once
# wrote them into <time datetime>, which HTML does not allow.
FRESH = "microseconds"


def publish_fresh_article():
    from wagtail.images.models import Image

    from prism_news.models import CategoryIndexPage

    politics = CategoryIndexPage.objects.get(slug="politics", locale__language_code="ja")
    published_at = timezone.now().replace(microsecond=123456) - timedelta(minutes=1)
    article = ArticlePageFactory.build(
        title="マイクロ秒の記事",
        slug=FRESH,
        published_at=published_at,
        hero_image=Image.objects.order_by("pk").first(),  # it leads the home page
        hero_image_alt="写真",
    )
    politics.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.published_at.microsecond == 123456  # what the checker must see
    return article


def build_module_data(request):
    """The demo, and one article published from code (tests/shared_data.py)."""
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    return publish_fresh_article().pk


@pytest.fixture
def demo(module_data, prism_settings, client):
    prism_settings(REQUIRE_AI_REVIEW=True)  # as the example site runs
    return client


@pytest.fixture
def fresh(module_data):
    from prism_news.models import ArticlePage

    return ArticlePage.objects.get(pk=module_data)


def test_the_icon_is_linked_and_favicon_ico_answers(demo):
    html = demo.get("/en/").content.decode()
    assert '<link rel="icon" href="/static/prism_news/favicon.svg" type="image/svg+xml">' in html
    response = demo.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/prism_news/favicon.svg")
    assert "<svg" in Path(finders.find("prism_news/favicon.svg")).read_text()


def test_the_lead_image_is_fetched_first_and_the_others_lazily(demo):
    html = demo.get("/").content.decode()
    images = html.split('<div class="prism-card__media">')[1:]
    assert len(images) > 2
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in image and "fetchpriority" not in image for image in images[1:])


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_the_header_and_footer_navigations_have_different_names(demo, path):
    html = demo.get(path).content.decode()
    header = html.split('<nav class="prism-sections" aria-label="')[1].split('"')[0]
    footer = html.split('<h2 id="prism-footer-sections">')[1].split("<")[0]
    assert header != footer
    assert (header, footer) == (
        ("メインナビゲーション", "カテゴリー") if path == "/" else ("Main navigation", "Sections")
    )


def test_cards_name_the_language_not_a_country(demo):
    html = demo.get("/en/").content.decode()
    labels = {
        part.split("</span>")[0] for part in html.split('<span class="prism-card__language">')[1:]
    }
    assert labels == {"English"}
    html = demo.get("/").content.decode()
    assert '<span class="prism-card__language">日本語</span>' in html
    assert ">JP<" not in html


def test_time_elements_carry_no_microseconds(demo, fresh):
    article = fresh
    expected = timezone.localtime(article.published_at).replace(microsecond=0).isoformat()
    for path in ("/", "/politics/", article.url):
        html = demo.get(path).content.decode()
        datetimes = re.findall(r'<time datetime="([^"]*)"', html)
        assert expected in datetimes, path
        assert [d for d in datetimes if "." in d] == [], path


# --- The Nu HTML checker


@pytest.mark.slow
@pytest.mark.skipif(not VNU.exists(), reason=f"vnu-jar {NOT_INSTALLED}")
@pytest.mark.skipif(
    shutil.which("java") is None, reason="no Java runtime: apt-get install default-jre-headless"
)
def test_the_nu_checker_finds_no_error(demo, fresh, tmp_path):
    article = fresh
    paths = {
        f"{kind}-{language}": path for kind, by in PAGES.items() for language, path in by.items()
    }
    paths["fresh-article"] = article.url
    files = []
    for name, path in paths.items():
        response = demo.get(path)
        assert response.status_code == 200, path
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']} ({m.get('extract', '')!r})"
        for m in messages
    ]
    assert errors == [], "\n".join(errors)
