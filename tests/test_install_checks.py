"""Whatever a host leaves out of the README's install steps, `manage.py check` names it.

A brand-new `wagtail start` project gets the README's settings and URL snippets with one
piece left out; `check` must answer with the prism_news check for that piece, whose hint
holds the very line to add, and never with a traceback (an app's models module imported
while the app is not installed is a RuntimeError before any check runs).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
}


def readme_snippets():
    """The README's install section: (settings snippet, URLconf snippet)."""
    section = (ROOT / "README.md").read_text().split("## Install into an existing Wagtail site")[1]
    settings, urls = re.findall(r"```python\n(.*?)```", section, re.S)[:2]
    return settings, urls


SETTINGS, URLS = readme_snippets()
MIDDLEWARE_LINES = re.search(r"MIDDLEWARE\.insert\(.*?\n\)\n", SETTINGS, re.S).group(0)


def without(snippet, piece):
    assert piece in snippet, f"the README no longer has {piece!r}"
    return snippet.replace(piece, "")


#: id: what the host left out -> (settings, urls, the check's id, the line its hint shows).
CASES = {
    "wagtail_localize": (
        without(SETTINGS, '    "wagtail_localize",\n'),
        URLS,
        "prism_news.E003",
        '"wagtail_localize",',
    ),
    "wagtail_localize.locales": (
        re.sub(r'    "wagtail_localize\.locales",.*\n', "", SETTINGS),
        URLS,
        "prism_news.E003",
        '"wagtail_localize.locales",',
    ),
    "wagtail.contrib.settings": (
        without(SETTINGS, '    "wagtail.contrib.settings",\n'),
        URLS,
        "prism_news.E003",
        '"wagtail.contrib.settings",',
    ),
    "wagtail.api.v2": (
        without(SETTINGS, '    "wagtail.api.v2",\n'),
        URLS,
        "prism_news.W007",
        '"wagtail.api.v2",',
    ),
    "rest_framework": (
        without(SETTINGS, '    "rest_framework",\n'),
        URLS,
        "prism_news.W007",
        '"rest_framework",',
    ),
    "WAGTAIL_I18N_ENABLED": (
        without(SETTINGS, "WAGTAIL_I18N_ENABLED = True\n"),
        URLS,
        "prism_news.E007",
        "WAGTAIL_I18N_ENABLED = True",
    ),
    "LocaleMiddleware": (
        without(SETTINGS, MIDDLEWARE_LINES),
        URLS,
        "prism_news.W006",
        '"django.middleware.locale.LocaleMiddleware",',
    ),
    "shared cache": (
        without(SETTINGS, 'PRISM_NEWS = {"RESPONSE_CACHE_ALIAS": "shared"}\n'),
        URLS,
        "prism_news.W009",
        "PRISM_NEWS['RESPONSE_CACHE_ALIAS']",
    ),
    "api_router": (
        SETTINGS,
        "",
        "prism_news.I001",
        'path("api/v2/", api_router().urls),',
    ),
}


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    """One `wagtail start` project, copied for each test."""
    where = tmp_path_factory.mktemp("scaffold")
    wagtail = Path(sys.executable).with_name("wagtail")
    subprocess.run([wagtail, "start", "mysite", where], env=ENV, check=True, capture_output=True)
    return where


def host_site(scaffold, tmp_path, settings, urls):
    site = tmp_path / "site"
    shutil.copytree(scaffold, site)
    base = site / "mysite" / "settings" / "base.py"
    base.write_text(base.read_text() + "\n" + settings)
    urlconf = site / "mysite" / "urls.py"
    urlconf.write_text(urlconf.read_text() + "\n" + urls)
    return site


def manage(site, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=site,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("missing", list(CASES))
def test_check_names_what_is_missing_and_the_line_to_add(scaffold, tmp_path, missing):
    settings, urls, check_id, line = CASES[missing]
    result = manage(host_site(scaffold, tmp_path, settings, urls), "check")
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    found = re.findall(r"\((prism_news\.\w+)\) (.*)\n\tHINT: (.*)", output)
    assert [found_id for found_id, _msg, _hint in found] == [check_id], output
    assert line in found[0][2], output
    assert result.returncode == (1 if check_id.startswith("prism_news.E") else 0), output


@pytest.mark.slow
def test_the_whole_readme_checks_clean_and_headless_preview_is_optional(scaffold, tmp_path):
    """With everything the README lists, `check` is silent; without the optional
    wagtail_headless_preview too, and `migrate` runs (Wagtail's own preview then)."""
    site = host_site(scaffold, tmp_path, SETTINGS, URLS)
    result = manage(site, "check", "--fail-level", "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    base = site / "mysite" / "settings" / "base.py"
    base.write_text(without(base.read_text(), '    "wagtail_headless_preview",'))
    result = manage(site, "check", "--fail-level", "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    result = manage(site, "migrate", "--noinput")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_migrate_without_a_required_app_stops_at_the_check(scaffold, tmp_path):
    settings, urls, _check_id, _line = CASES["wagtail_localize"]
    result = manage(host_site(scaffold, tmp_path, settings, urls), "migrate", "--noinput")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "(prism_news.E003) prism_news needs 'wagtail_localize'" in output, output
