"""One line, one story: (external_id, locale) is unique in the database, whoever writes.

Two real processes import one file at once; the data migration that brings the
constraint to a database with duplicates keeps the oldest article's id."""

import importlib
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from prism_news.importer import ArticleImporter
from prism_news.models import ArticlePage

from . import test_import
from .test_import import line

categories = test_import.categories  # the fixture

ROOT = Path(__file__).resolve().parent.parent
LINES = 30


def run(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_a_story_created_since_the_look_up_is_that_lines_error(categories, tmp_path, monkeypatch):
    # What the loser of a race sees: the article was not there when it looked, and is
    # there when it writes. The database refuses the second row.
    path = tmp_path / "a.jsonl"
    path.write_text(line() + "\n")
    run(path)
    monkeypatch.setattr(ArticleImporter, "find_existing", lambda self, *args: None)
    path.write_text(line(title="別の題") + "\n")  # another slug: only the id collides
    ok, out, err = run(path)
    assert not ok and "Traceback" not in err
    assert "line 1: external_id: 'x-1' in ja was created by another import" in err, err
    assert ArticlePage.objects.count() == 1


def test_an_alias_shares_the_external_id_without_a_conflict(categories, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(line() + "\n")
    run(path)
    article = ArticlePage.objects.get()
    politics, economy = categories
    alias = article.create_alias(parent=economy)
    assert alias.external_id == "x-1" and alias.external_id_locale is None
    assert ArticlePage.objects.get(pk=article.pk).external_id_locale == article.locale
    ok, out, err = run(path)
    assert ok and "1 unchanged" in out, err  # the original, not the alias


def test_the_migration_keeps_the_oldest_of_duplicates(categories, tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(line(external_id="a") + "\n" + line(external_id="b", title="B") + "\n")
    run(path)
    first, second = ArticlePage.objects.order_by("pk")
    # The state before the migration: no locale copy, so nothing stops a duplicate.
    ArticlePage.objects.update(external_id_locale=None)
    ArticlePage.objects.filter(pk=second.pk).update(external_id="a")
    revision = second.latest_revision
    revision.content["external_id"] = "a"
    revision.save(update_fields=["content"])
    migration = importlib.import_module("prism_news.migrations.0004_article_external_id_unique")
    migration.fill_external_id_locale(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.external_id, first.external_id_locale) == ("a", first.locale)
    assert (second.external_id, second.external_id_locale) == ("", None)
    assert second.get_latest_revision_as_object().external_id == ""
    assert f"article {second.pk} had the external ID 'a'" in capsys.readouterr().out
    second.save_revision().publish()  # and it can still be published


def database_url_for_subprocesses(tmp_path):
    """A database other processes can open holding this test's (committed) data."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        user = settings.get("USER") or "postgres"
        return f"postgres://{user}@{host}:{port}/{settings['NAME']}", None
    copy = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}", copy


def stories(copy):
    if copy is None:
        rows = (
            ArticlePage.objects.values("external_id", "locale")
            .annotate(n=Count("pk"))
            .values_list("external_id", "n")
        )
        return dict(rows)
    with sqlite3.connect(copy) as db:
        rows = db.execute(
            "SELECT external_id, COUNT(*) FROM prism_news_articlepage GROUP BY external_id"
        ).fetchall()
    return dict(rows)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_importing_one_file_create_each_story_once(categories, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(line(external_id=f"s-{i}", title=f"記事{i}") for i in range(LINES)) + "\n",
        encoding="utf-8",
    )
    url, copy = database_url_for_subprocesses(tmp_path)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'example_site'}",
        "DATABASE_URL": url,
    }
    command = [sys.executable, "-m", "django", "import_articles", str(path)]
    processes = [
        subprocess.Popen(
            command, env=environment, cwd=tmp_path, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    outputs = [process.communicate(timeout=300) for process in processes]
    created, failed_lines = 0, []
    for out, err in outputs:
        assert "Traceback" not in err, err
        summary = re.search(
            r"(\d+) created, (\d+) updated as drafts, (\d+) unchanged .* (\d+) failed", out + err
        )
        assert summary, err
        numbers = [int(n) for n in summary.groups()]
        assert sum(numbers) == LINES, err  # every line accounted for
        created += numbers[0]
        print("process:", numbers)  # created, updated, unchanged, failed: shown with -rP
        failures = re.findall(r"^line (\d+): ([^:]+): (.*)$", err, re.MULTILINE)
        assert len(failures) == numbers[3], err
        for _number, field, message in failures:  # the loser's lines, clearly
            assert field in {"external_id", "(line)"}, err
            assert "at the same time" in message, err
        failed_lines.append({int(number) for number, _field, _message in failures})
    found = stories(copy)
    assert set(found.values()) <= {1}, found  # no duplicates
    assert created == len(found)  # each story there was created by exactly one of them
    # A story is missing only where both lost its line (SQLite's lock can fail both;
    # on PostgreSQL the second waits for the first and then finds the row).
    missing = {i + 1 for i in range(LINES) if f"s-{i}" not in found}
    assert missing == failed_lines[0] & failed_lines[1]
    if copy is None:
        assert not missing
