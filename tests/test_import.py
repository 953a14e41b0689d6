"""import_articles: JSON Lines from the AI pipeline, as drafts, line by line."""

import io
import json
import logging
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Revision

from prism_news.models import ArticlePage
from prism_news.publish_gate import PublishingBlocked

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
    assert "2 created, 0 updated as drafts, 0 unchanged (nothing published), 4 failed." in err
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


def test_running_again_changes_nothing_when_nothing_changed(categories):
    run(str(EXAMPLE))
    revisions = Revision.objects.count()
    ok, out, err = run(str(EXAMPLE))
    assert "0 created, 0 updated as drafts, 2 unchanged" in err
    assert ArticlePage.objects.filter(external_id__startswith="pipeline-").count() == 2
    assert Revision.objects.count() == revisions  # no identical revision piled on


def test_a_changed_line_updates_its_draft(categories, tmp_path):
    run(write(tmp_path, line()))
    ok, out, err = run(write(tmp_path, line(summary="新しい要約。")))
    assert ok and "0 created, 1 updated as drafts, 0 unchanged" in out, err
    assert ArticlePage.objects.get().get_latest_revision_as_object().summary == "新しい要約。"


def test_two_external_ids_with_one_source_url_are_two_stories(categories, tmp_path):
    # The case: B became a revision of A ("1 created, 1 updated").
    ok, out, err = run(write(tmp_path, line(external_id="story-a", title="A"),
                             line(external_id="story-b", title="B")))  # fmt: skip
    assert ok, err
    assert "2 created, 0 updated as drafts" in out
    titles = dict(ArticlePage.objects.values_list("external_id", "title"))
    assert titles == {"story-a": "A", "story-b": "B"}
    # Run again, in the other order: each still updates its own.
    ok, out, err = run(write(tmp_path, line(external_id="story-b", title="B2"),
                             line(external_id="story-a", title="A2")))  # fmt: skip
    assert ok and "0 created, 2 updated as drafts" in out, err
    latest = {a.external_id: a.get_latest_revision_as_object().title
              for a in ArticlePage.objects.all()}  # fmt: skip
    assert latest == {"story-a": "A2", "story-b": "B2"}


def test_source_url_finds_only_an_article_without_external_id(categories, tmp_path):
    # An article written in the editor (no external_id) is taken over by the pipeline.
    run(write(tmp_path, line(external_id="first")))
    ArticlePage.objects.update(external_id="")
    ok, out, err = run(write(tmp_path, line(external_id="renamed", title="改題")))
    assert ok, err
    assert "0 created, 1 updated as drafts" in out
    article = ArticlePage.objects.get()
    assert article.get_latest_revision_as_object().title == "改題"
    assert article.get_latest_revision_as_object().external_id == "renamed"
    # The row says so too: a line with another id and the same source URL is another
    # story, not a second takeover that would bury this one's draft.
    assert article.external_id == "renamed"
    ok, out, err = run(write(tmp_path, line(external_id="other", title="別の記事")))
    assert ok and "1 created, 0 updated as drafts" in out, err
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title == "改題"


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
    assert (
        "2 created, 0 updated as drafts, 0 unchanged (dry run: nothing would be written), 4 failed."
        in err
    )
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
        ({"body": [{"type": "heading", "value": {"text": "", "level": 2}}]}, "body[0].text"),
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


# --- What the importer must survive (each with the line number it reports)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "長" * 256}, "title"),
        ({"external_id": "x" * 256}, "external_id"),
        ({"ai_model": "m" * 256}, "ai_model"),
        ({"summary": "要" * 301}, "summary"),
        ({"tags": ["t" * 101]}, "tags[0]"),
        ({"tags": [" "]}, "tags[0]"),
        ({"sources": [{"title": "T" * 501, "publisher": "P", "url": "https://a.test/"}]},
         "sources[0].title"),
        ({"sources": [{"title": "T", "publisher": "P", "url": "https://a.test/",
                       "language": "x" * 17}]}, "sources[0].language"),
        ({"sources": [{"title": "T", "publisher": "P", "url": "https://a.test/",
                       "published_at": "yesterday"}]}, "sources[0].published_at"),
        ({"sources": [{"title": 3, "publisher": "P", "url": "https://a.test/"}]},
         "sources[0].title"),
        ({"title": 42}, "title"),
        ({"hero_image": ["a.png"]}, "hero_image"),
        ({"body": [{"type": "heading", "value": ["not", "an", "object"]}]}, "body[0].value"),
        ({"body": [{"type": "list", "value": {"style": "bulleted", "items": []}}]},
         "body[0].items"),
        ({"body": [{"type": "paragraph", "value": {"html": "<p>x</p>"}}]}, "body[0].value"),
        ({"body": [{"type": "embed", "value": {"url": "javascript:alert(1)"}}]}, "body[0].url"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dry_run", [False, True])
def test_every_model_constraint_is_an_error_on_its_line(
    categories, tmp_path, overrides, field, dry_run
):
    bad = line(**{"external_id": "bad", **overrides})
    other_source = [{"title": "R", "publisher": "P", "url": "https://b.test/"}]
    lines = [line(external_id="good-1"), bad,
             line(external_id="good-2", title="別の記事", sources=other_source)]  # fmt: skip
    ok, out, err = run(write(tmp_path, *lines), *(["--dry-run"] if dry_run else []))
    assert not ok
    assert f"line 2: {field}:" in err, err
    # The lines after it were still read, and the summary was printed.
    assert "2 created, 0 updated as drafts, 0 unchanged" in err and "1 failed." in err
    expected = set() if dry_run else {"good-1", "good-2"}
    assert set(ArticlePage.objects.values_list("external_id", flat=True)) == expected


def test_lines_end_at_newlines_only(categories, tmp_path):
    # U+2028, U+2029, U+0085 and a form feed are characters inside a JSON string.
    odd = line(external_id="odd", title="行\u2028区切り", summary="要約\u0085。\u2029\x0c")
    odd = odd.replace("\\u2028", "\u2028").replace("\\u0085", "\u0085")
    odd = odd.replace("\\u2029", "\u2029").replace("\\x0c", "\x0c")
    bad = '{"broken": '
    path = tmp_path / "odd.jsonl"
    path.write_text(f"{odd}\n{bad}\n", encoding="utf-8")
    ok, out, err = run(str(path))
    assert "line 2: (line): not valid JSON" in err  # not line 3 or later
    assert "1 created" in err
    assert ArticlePage.objects.get(external_id="odd").title == "行\u2028区切り"


def test_a_byte_order_mark_and_crlf_are_accepted(categories, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line().encode() + b"\r\n")
    ok, out, err = run(str(path))
    assert ok, err
    assert ArticlePage.objects.filter(external_id="x-1").exists()


def test_an_undecodable_line_fails_alone(categories, tmp_path):
    good = line(external_id="good")
    other = line(external_id="other", title="他の記事",
                 sources=[{"title": "R", "publisher": "P", "url": "https://b.test/"}])  # fmt: skip
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(good.encode() + b"\n" + b'{"title": "\xff\xfe"}\n' + other.encode() + b"\n")
    ok, out, err = run(str(path))
    assert "line 2: (line): not valid UTF-8 (byte 12)" in err
    assert "2 created, 0 updated as drafts, 0 unchanged (nothing published), 1 failed." in err
    assert set(ArticlePage.objects.values_list("external_id", flat=True)) == {"good", "other"}


def test_standard_input_as_bytes_keeps_line_numbers(categories):
    class Stdin(io.StringIO):
        buffer = io.BytesIO(b"\xef\xbb\xbf" + line().encode() + b"\n\n" + b"[1]\n")

    ok, out, err = run("-", stdin=Stdin())
    assert "line 3: (line): expected a JSON object" in err
    assert "1 created" in err


def test_a_failed_line_leaves_no_image_file_behind(categories, tmp_path, monkeypatch, caplog):
    PILImage.new("RGB", (800, 450), (200, 30, 60)).save(tmp_path / "chart.png")
    Image = get_image_model()
    storage = Image._meta.get_field("file").storage

    def listed():
        return (
            set(storage.listdir("original_images")[1])
            if storage.exists("original_images")
            else set()
        )

    before = listed()

    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ArticlePage, "save_revision", fail)
    caplog.set_level(logging.DEBUG, logger="prism_news.importer")
    ok, out, err = run(write(tmp_path, line(hero_image="chart.png", hero_image_alt="A chart")))
    assert "line 1: (line): could not be imported: unexpected RuntimeError" in err
    assert "the database went away" not in err  # the details are in the log, at DEBUG
    assert "1 of them unexpectedly" in err
    # The traceback is logged at DEBUG only: nothing a default logging set-up prints.
    logged = [r for r in caplog.records if r.name == "prism_news.importer"]
    assert logged and all(r.levelno == logging.DEBUG for r in logged)
    assert logged[0].exc_info and "line 1" in logged[0].getMessage()
    assert listed() == before
    assert not Image.objects.exists()


def test_an_image_is_stored_once_per_file_content(categories, tmp_path):
    PILImage.new("RGB", (800, 450), (20, 130, 60)).save(tmp_path / "a.png")
    (tmp_path / "b.png").write_bytes((tmp_path / "a.png").read_bytes())  # same bytes
    other_source = [{"title": "R", "publisher": "P", "url": "https://b.test/"}]
    lines = [line(external_id="one", hero_image="a.png", hero_image_alt="A"),
             line(external_id="two", title="二", hero_image="b.png", hero_image_alt="B",
                  sources=other_source)]  # fmt: skip
    ok, out, err = run(write(tmp_path, *lines))
    assert ok, err
    assert get_image_model().objects.count() == 1
