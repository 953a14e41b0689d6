"""Installing prism_news changes nothing the host site's own pages, API and models do.

A fresh `wagtail start` project gets a rich-text body on its HomePage, Wagtail's own v2
router (pages, images, documents) and Wagtail's v3 API. It then runs twice, each time on a
fresh database, with the same probe (tests/host_probe.py: the host's pages and endpoints as
an anonymous reader sees them, and the SQL queries of saving the host's page and image):

- *without*: the settings the README's install snippet asks for, less the apps that are
  there only for prism_news (`prism_news` and `wagtail_headless_preview`); internationalisation,
  wagtail-localize and LocaleMiddleware change a host's answers by themselves (locale fields,
  `Vary: Accept-Language`), so the baseline has them too and the difference is prism_news's;
- *with*: the README's snippet as it stands.

The two must agree exactly: status, the headers a client or cache reads, every byte of the
body, and every query count. The one thing set aside: prism_news mounts Wagtail's v3
`/locales/` router again when wagtail-localize's locales app has replaced `wagtail.locales`
(as the README asks), so that operation is left out of the OpenAPI comparison. The OpenAPI
document itself is compared by its operations and their parameters' names: its schemas list
every page type, prism_news's among them.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .test_install import readme_settings_snippet

HERE = Path(__file__).resolve().parent
ONLY_FOR_PRISM = ('"prism_news"', '"wagtail_headless_preview"')
RESTORED_BY_PRISM = re.compile(r"^[A-Z]+ /api/v3/locales/")

HOST_MODELS = """
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    body = RichTextField(blank=True)
    api_fields = [APIField("body")]
"""

HOST_URLS = """
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as api_v3
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
urlpatterns = [path("api/v2/", api_router.urls), path("api/v3/", api_v3.urls), *urlpatterns]
"""


def environment():
    return {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }


def run(args, cwd, env=None):
    result = subprocess.run(
        args, cwd=cwd, env=env or environment(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def without_prism(snippet):
    lines = snippet.splitlines(keepends=True)
    kept = [line for line in lines if not any(app in line for app in ONLY_FOR_PRISM)]
    assert len(lines) - len(kept) == len(ONLY_FOR_PRISM), "the README's snippet changed"
    return "".join(kept)


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    """A `wagtail start` project with the host's own API, before any prism_news settings."""
    project = tmp_path_factory.mktemp("host") / "project"
    project.mkdir()
    run([Path(sys.executable).with_name("wagtail"), "start", "mysite", project], cwd=project)
    (project / "home" / "models.py").write_text(HOST_MODELS)
    base = project / "mysite" / "settings" / "base.py"
    base.write_text(base.read_text() + '\nINSTALLED_APPS += ["wagtail.api.v3"]\n')
    urls = project / "mysite" / "urls.py"
    urls.write_text(urls.read_text() + HOST_URLS)
    run([sys.executable, "manage.py", "makemigrations", "home"], cwd=project)
    shutil.copy(HERE / "host_probe.py", project / "host_probe.py")
    return project


def probe(scaffold, name, snippet):
    project = scaffold.parent / name
    shutil.copytree(scaffold, project)
    base = project / "mysite" / "settings" / "base.py"
    base.write_text(base.read_text() + "\n" + textwrap.dedent(snippet))
    run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=project)
    run([sys.executable, "manage.py", "createcachetable"], cwd=project)
    env = {**environment(), "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"}
    return json.loads(run([sys.executable, "host_probe.py"], cwd=project, env=env))


@pytest.fixture(scope="module")
def answers(scaffold):
    snippet = readme_settings_snippet()
    return {
        "without": probe(scaffold, "without", without_prism(snippet)),
        "with": probe(scaffold, "with", snippet),
    }


def differences(answers, names):
    """The probes among ``names`` whose answers differ, each with both answers."""
    return {
        name: {"without": answers["without"][name], "with": answers["with"][name]}
        for name in names
        if answers["without"][name] != answers["with"][name]
    }


def probes(answers, prefix):
    return sorted(name for name in answers["without"] if name.startswith(prefix))


@pytest.mark.slow
def test_the_probe_sees_the_host(answers):
    """The probe works: the host's pages and endpoints answer, in both runs."""
    for run_answers in answers.values():
        assert run_answers["html home"]["status"] == 200
        assert "Linking page" in run_answers["v2 pages"]["body"]
        assert "Host image" in run_answers["v3 images"]["body"]
        assert len(run_answers["queries"]["publish page"]) > 0


@pytest.mark.slow
def test_the_hosts_api_answers_as_without_prism_news(answers):
    v3 = [name for name in probes(answers, "v3 ") if name != "v3 openapi operations"]
    assert differences(answers, probes(answers, "v2 ") + v3) == {}


@pytest.mark.slow
def test_the_v3_openapi_operations_are_the_hosts(answers):
    operations = {
        run: {op: params for op, params in found["v3 openapi operations"].items()
              if not RESTORED_BY_PRISM.match(op)}
        for run, found in answers.items()
    }  # fmt: skip
    assert operations["with"] == operations["without"]


@pytest.mark.slow
def test_the_hosts_pages_are_served_as_without_prism_news(answers):
    assert differences(answers, probes(answers, "html ")) == {}


#: Deleting a row makes Django visit, table by table, the rows that point at it: with
#: prism_news installed that includes its page types' tables (a page's subclass rows) and its
#: columns that point at an image (`on_delete=SET_NULL`), one SELECT or UPDATE each. Django
#: does this for the models of any installed app; no handler of prism_news's runs.
CASCADE_LOOKUP = re.compile(
    r'^(SELECT .* FROM "prism_news_\w+" .*WHERE "prism_news_\w+"\."\w+" IN \([\d, ]+\)'
    r'|UPDATE "prism_news_\w+" SET "\w+" = NULL WHERE "prism_news_\w+"\."\w+" IN \([\d, ]+\))$'
)


#: The README gives prism_news's cache a database table: its reads and writes are SQL too,
#: as are those of its outbox of invalidations (written with a change, applied after it
#: commits).
CACHE_TABLE = re.compile(r'\b(FROM|INTO|UPDATE) "?prism_news_(cache|pendinginvalidation)"?')


#: Where a transaction or savepoint begins or ends (the cache writes in one of its own).
SAVEPOINT = re.compile(r"^(BEGIN|COMMIT|SAVEPOINT |RELEASE SAVEPOINT |ROLLBACK TO SAVEPOINT )")


def cache_traffic(queries):
    """Indexes of the queries on the cache table, and of the transactions and savepoints
    around them."""
    found = []
    for index, sql in enumerate(queries):
        if SAVEPOINT.match(sql):
            # Opened just before a cache query, or released just after one.
            after = next((q for q in queries[index + 1 :] if not SAVEPOINT.match(q)), "")
            before = next((q for q in reversed(queries[:index]) if not SAVEPOINT.match(q)), "")
            opens = sql.startswith(("BEGIN", "SAVEPOINT"))
            if CACHE_TABLE.search(after if opens else before):
                found.append(index)
        elif CACHE_TABLE.search(sql):
            found.append(index)
    return found


def without_cascade_lookups(queries):
    cache = set(cache_traffic(queries))
    return [
        sql
        for index, sql in enumerate(queries)
        if not CASCADE_LOOKUP.match(sql) and index not in cache
    ]


@pytest.mark.slow
def test_saving_the_hosts_models_costs_what_it_did(answers):
    """As many queries, but Django's own look-ups of prism_news's rows that point at a
    deleted page, and the reads and writes of prism_news's cache table where an image
    changes (the SQL itself differs in ids, keys and times from run to run)."""
    found = {
        run: {
            action: len(without_cascade_lookups(sql)) for action, sql in queries["queries"].items()
        }
        for run, queries in answers.items()
    }
    assert found["with"] == found["without"]
    # What was set aside is only that, and only where a page is deleted.
    set_aside = {
        action: len(sql) - found["with"][action]
        for action, sql in answers["with"]["queries"].items()
    }
    assert {action for action, count in set_aside.items() if count} <= {
        "delete page",
        "delete image",
        "edit image",
    }
    # prism_news's cache is touched only where an image changes: an article may show it,
    # so its cached answers are invalidated. Saving the host's pages never touches it.
    touched = {action for action, sql in answers["with"]["queries"].items() if cache_traffic(sql)}
    assert touched <= {"edit image", "delete image"}, touched
    assert not any(cache_traffic(sql) for sql in answers["without"]["queries"].values())
