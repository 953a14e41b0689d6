"""import_articles: JSON Lines from the AI pipeline, as drafts, line by line."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image as PILImage

from prism_news.models import ArticlePage
from prism_news.publishing import PublishingBlocked

from .factories import CategoryIndexPageFactory

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "import.jsonl"


@pytest.fixture
def categories(home, category, en):
    from .api_fixtures import translate

    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    translate(economy, en)
    return category, economy


def run(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    try:
        call_command("import_articles", *args, stdout=out, stderr=err, **extra)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def line(**overrides):
    data = {
        "external_id": "x-1",
        "locale": "ja",
        "category": "politics",
        "title": "技術同盟の分析",
        "summary": "要約。",
        "body": [{"type": "paragraph", "value": "<p>本文。</p>"}],
        "tags": ["chips"],
        "sources": [
            {"title": "Report", "publisher": "The Diplomat", "url": "https://news.example.com/a"}
        ],
        "ai_involvement": "analysis",
        "ai_model": "model-x",
    }
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def write(tmp_path, *lines):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_example_file_imports_the_good_lines_and_names_every_bad_one(categories):
    ok, out, err = run(str(EXAMPLE))
    assert not ok
    assert "2 created, 0 updated as drafts (nothing published), 4 failed." in err
    for expected in (
        "line 3: body: at least one block is required",
        "line 4: sources[0].url: Enter a web address starting with http:// or https://.",
        "line 5: author: unknown key",
        "line 6: (line): not valid JSON",
    ):
        assert expected in err, expected
    assert "[##############################] 6/6" in err  # the progress bar got to the end
    imported = ArticlePage.objects.filter(external_id__startswith="pipeline-")
    assert sorted(imported.values_list("external_id", flat=True)) == [
        "pipeline-0001",
        "pipeline-0002",
    ]
    for article in imported:
        assert not article.live and article.latest_revision_id  # drafts, with a revision
    english = imported.get(external_id="pipeline-0002")
    assert english.locale.language_code == "en" and english.get_parent().slug == "economy"
    assert [b.block_type for b in english.body] == ["paragraph", "quote"]
    assert english.sources.get().publisher == "Reuters"
    assert sorted(english.tags.names()) == ["Oil", "Venezuela"]


def test_running_again_updates_the_same_drafts(categories):
    run(str(EXAMPLE))
    ok, out, err = run(str(EXAMPLE))
    assert "0 created, 2 updated" in err
    assert ArticlePage.objects.filter(external_id__startswith="pipeline-").count() == 2


def test_source_url_and_locale_find_an_article_without_external_id_match(categories, tmp_path):
    run(write(tmp_path, line(external_id="first")))
    ok, out, err = run(write(tmp_path, line(external_id="renamed", title="改題")))
    assert ok, err
    assert "0 created, 1 updated" in out
    article = ArticlePage.objects.get()
    assert article.get_latest_revision_as_object().title == "改題"


def test_updating_a_live_article_leaves_the_live_version_alone(
    categories, tmp_path, django_user_model
):
    run(write(tmp_path, line()))
    article = ArticlePage.objects.get()
    article.record_review(None)
    article.save_revision().publish()
    ok, out, err = run(write(tmp_path, line(summary="新しい要約。")))
    assert ok, err
    article = ArticlePage.objects.get()
    assert article.live and article.summary == "要約。"
    assert article.get_latest_revision_as_object().summary == "新しい要約。"


def test_dry_run_writes_nothing(categories):
    ok, out, err = run(str(EXAMPLE), "--dry-run")
    assert "2 created, 0 updated as drafts (dry run: nothing would be written), 4 failed." in err
    assert not ArticlePage.objects.filter(external_id__startswith="pipeline-").exists()


def test_reads_standard_input(categories):
    ok, out, err = run("-", stdin=io.StringIO(line() + "\n"))
    assert ok, err
    assert ArticlePage.objects.filter(external_id="x-1").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"locale": "fr"}, "locale"),
        ({"category": "sports"}, "category"),
        ({"ai_involvement": "robot"}, "ai_involvement"),
        ({"tags": "chips"}, "tags"),
        ({"body": [{"type": "video", "value": "x"}]}, "body[0].type"),
        ({"body": [{"type": "heading", "value": {"text": "", "level": 2}}]}, "body[0]"),
        ({"sources": []}, "ai_involvement"),  # the model's own rule, reported on its field
        (
            {"sources": [{"title": "T", "publisher": "P", "url": "https://a.test", "pages": 3}]},
            "sources[0].pages",
        ),
        ({"external_id": ""}, "external_id"),
        ({"hero_image": "missing.png", "hero_image_alt": "A chart"}, "hero_image"),
        ({"hero_image": "chart.png"}, "hero_image_alt"),
    ],
)
def test_a_bad_line_is_reported_and_leaves_nothing(categories, tmp_path, overrides, field):
    ok, out, err = run(write(tmp_path, line(**overrides)))
    assert not ok
    assert f"line 1: {field}:" in err
    assert not ArticlePage.objects.exists()


def test_hero_image_from_a_file(categories, tmp_path):
    PILImage.new("RGB", (1600, 900), (20, 30, 60)).save(tmp_path / "chart.png")
    ok, out, err = run(
        write(tmp_path, line(hero_image="chart.png", hero_image_alt="A rising chart"))
    )
    assert ok, err
    article = ArticlePage.objects.get()
    assert article.hero_image.width == 1600 and article.hero_image_alt == "A rising chart"


def test_an_imported_draft_cannot_go_live_unreviewed(categories, tmp_path, prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)
    run(write(tmp_path, line()))
    article = ArticlePage.objects.get()
    with pytest.raises(PublishingBlocked):
        article.get_latest_revision().publish()
    assert not ArticlePage.objects.get().live


def test_queries_per_line_are_bounded(categories, tmp_path):
    def import_lines(count, prefix):
        lines = [
            line(external_id=f"{prefix}-{i}", title=f"記事{i}",
                 sources=[{"title": "R", "publisher": "P", "url": f"https://news.example.com/{prefix}/{i}"}])
            for i in range(count)
        ]  # fmt: skip
        path = write(tmp_path, *lines)
        counted = []  # a wrapper counts every query; the debug log stops at 9,000

        def count(execute, sql, params, many, context):
            counted.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            ok, out, err = run(path)
        assert ok, err
        return len(counted)

    small = import_lines(20, "a")
    large = import_lines(200, "b")
    # About 85 a line, almost all Wagtail's own page creation: the tree, the search
    # index, the reference index, revisions and log entries (docs/provenance.md).
    assert large / 200 <= 100
    assert large <= 10 * small * 1.1  # linear: no query grows with the number of lines
