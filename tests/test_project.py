"""Project-level checks: migrations, system checks, settings handling."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from prism_news.checks import check_required_apps, check_settings
from prism_news.conf import get_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_system_checks_pass_with_test_settings():
    call_command("check", "--fail-level", "WARNING", stdout=StringIO())


@pytest.mark.slow
def test_system_checks_pass_for_the_example_site():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT / "example_site",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_example_site_refuses_to_start_without_secret_key_when_not_debugging():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT / "example_site",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_merge_defaults_and_reload_on_change(prism_settings):
    assert get_settings()["RELATED_COUNT"] == 4
    prism_settings(RELATED_COUNT=7)
    assert get_settings()["RELATED_COUNT"] == 7
    assert get_settings()["READING_WORDS_PER_MINUTE"] == 238


def test_unknown_setting_is_a_warning(prism_settings):
    prism_settings(RELATED_CONT=3)
    messages = check_settings()
    assert [m.id for m in messages] == ["prism_news.W001"]
    assert "RELATED_CONT" in messages[0].msg
    assert messages[0].hint == "Did you mean 'RELATED_COUNT'?"


@pytest.mark.parametrize(
    ("overrides", "check_id"),
    [
        ({"READING_WORDS_PER_MINUTE": 0}, "prism_news.E002"),
        ({"READING_CHARACTERS_PER_MINUTE": {"ja": -5}}, "prism_news.E002"),
        ({"READING_CHARACTERS_PER_MINUTE_DEFAULT": "fast"}, "prism_news.E001"),
        ({"RELATED_COUNT": -1}, "prism_news.E002"),
        ({"SUMMARY_MAX_LENGTH": 1.5}, "prism_news.E001"),
    ],
)
def test_bad_setting_values_are_errors(prism_settings, overrides, check_id):
    prism_settings(**overrides)
    assert [m.id for m in check_settings()] == [check_id]


def test_missing_required_app_is_an_error(monkeypatch):
    from django.apps import apps

    assert check_required_apps() == []
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail.contrib.settings" and installed(name)
    )
    messages = check_required_apps()
    assert [m.id for m in messages] == ["prism_news.E003"]
    assert "wagtail.contrib.settings" in messages[0].msg


def test_new_category_takes_its_page_size_from_settings(db, prism_settings):
    from prism_news.models import CategoryIndexPage

    assert CategoryIndexPage().page_size == 12
    prism_settings(CATEGORY_PAGE_SIZE_DEFAULT=20)
    assert CategoryIndexPage().page_size == 20
