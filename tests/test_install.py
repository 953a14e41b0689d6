"""prism_news installs into a brand-new `wagtail start` project by following the README alone."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_settings_snippet():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Install into an existing Wagtail site", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run(args, cwd, env):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_readme_installs_into_a_fresh_wagtail_project(tmp_path):
    wagtail = Path(sys.executable).with_name("wagtail")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    run([wagtail, "start", "mysite", tmp_path], cwd=tmp_path, env=env)
    settings = tmp_path / "mysite" / "settings" / "base.py"
    settings.write_text(settings.read_text() + "\n" + readme_settings_snippet())
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput"], cwd=tmp_path, env=env)
    run([*manage, "createcachetable"], cwd=tmp_path, env=env)
    run([*manage, "check", "--fail-level", "WARNING"], cwd=tmp_path, env=env)
    script = textwrap.dedent(
        """
        from django.test import Client
        from wagtail.models import Site
        from prism_news.models import ArticlePage, ArticleSource, CategoryIndexPage

        home = Site.objects.get(is_default_site=True).root_page
        category = home.add_child(instance=CategoryIndexPage(title="Politics"))
        article = category.add_child(instance=ArticlePage(
            title="Pax Silica", summary="An alliance.", ai_involvement="analysis",
            body=[("paragraph", "<p>Supply chains without China.</p>")],
            sources=[ArticleSource(title="Report", publisher="The Diplomat",
                                   url="https://thediplomat.com/")],
        ))
        html = Client().get(article.url).content.decode()
        assert "Supply chains without China." in html and "The Diplomat" in html, html
        print("served", article.url)
        """
    )
    assert "served /politics/pax-silica/" in run(
        [*manage, "shell", "-c", script], cwd=tmp_path, env=env
    )
