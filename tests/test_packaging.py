"""What PyPI shows: licence metadata, classifiers, links that work off GitHub, the wheel's files."""

import os
import re
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import trove_classifiers
from flit_core import buildapi

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REPO_URL = PROJECT["urls"]["Source"]
# Where the README's absolute links point: GitHub's rendering of a file, or its raw bytes.
LINK_PREFIXES = (
    f"{REPO_URL}/blob/main/",
    f"{REPO_URL}/tree/main/",
    REPO_URL.replace("https://github.com/", "https://raw.githubusercontent.com/") + "/main/",
)
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_licence_is_an_spdx_expression_with_its_file():
    assert PROJECT["license"] == "BSD-3-Clause"
    for name in PROJECT["license-files"]:
        assert "Redistribution and use" in (ROOT / name).read_text()


def test_classifiers_are_known_to_pypi():
    unknown = [c for c in PROJECT["classifiers"] if c not in trove_classifiers.classifiers]
    assert unknown == []


def test_python_classifiers_are_the_versions_ci_runs():
    claimed = {
        c.rsplit(" :: ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    floor = PROJECT["requires-python"].removeprefix(">=")
    ci = (ROOT / ".ci" / "run").read_text()
    tested = {floor} | set(re.findall(r"EXTRA_PYTHON=\"?(3\.\d+)", ci))
    assert claimed == tested


def test_readme_links_work_on_pypi():
    """PyPI renders the README without the repository, so every link is absolute and real."""
    links = MARKDOWN_LINK.findall((ROOT / "README.md").read_text())
    assert links
    for link in links:
        if link.startswith("#"):
            continue
        assert link.startswith(("https://", "http://")), link
        for prefix in LINK_PREFIXES:
            if link.startswith(prefix):
                target = link.removeprefix(prefix).split("#", 1)[0]
                assert (ROOT / target).exists(), link


@pytest.mark.slow
def test_wheel_carries_the_app_its_licence_and_nothing_else(tmp_path):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        wheel = tmp_path / buildapi.build_wheel(str(tmp_path))
    finally:
        os.chdir(cwd)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    top_level = {name.split("/", 1)[0] for name in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {"prism_news"}
    assert metadata["License-Expression"] == "BSD-3-Clause"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # The compiled catalogues and the migrations ship; the templates and static files too.
    assert "prism_news/locale/ja/LC_MESSAGES/django.mo" in names
    assert "prism_news/migrations/0001_initial.py" in names
    assert any(n.startswith("prism_news/templates/") for n in names)
    assert any(n.startswith("prism_news/static/") for n in names)
    assert metadata["Project-URL"]
