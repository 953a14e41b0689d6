"""The package's layers, and the card defined once.

Read from the source with ``ast`` (nothing is imported): the layer table in
docs/architecture.md puts every module of the package in exactly one layer, and a
module imports only from its own layer or the layers below it; module-level
imports form no cycle; and the imports left inside functions are exactly the ones
listed below, each with its reason. Then the card: every consumer (card(), API
listings, querysets, the HTML card) derives from ``prism_news.representations.card.CARD``.

What counts as an import of a module: every ``import`` and ``from ... import``
statement of the module, at module level, in a class, inside a function or under
``if TYPE_CHECKING:``; a dependency is a dependency, whenever it is imported.
Only the cycle check is about module level alone (what runs when the module is
imported). A module importing ``a.b.c`` is checked against ``a.b.c`` only, not the
``__init__.py`` of its packages.
"""

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from prism_news.api.prefetch import with_article_relations
from prism_news.api.views import NewsPagesAPIViewSet
from prism_news.models import ArticlePage
from prism_news.representations.card import CARD, card

from .api_fixtures import API
from .factories import ArticlePageFactory, ImageFactory, source

PACKAGE = Path(__file__).resolve().parent.parent / "prism_news"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

#: Every import left inside a function, by module (``ast.unparse`` of the statement,
#: as many times as it occurs), and why it cannot move to module level. Moving one
#: out makes this test fail until its line goes too; so does a new one.
FUNCTION_LEVEL_IMPORTS = {
    "search/backend.py": (
        "modelsearch's vendor modules look up their vendor's index models on import: the "
        "SQLite one fails on PostgreSQL, so each is imported when its database is the one in use",
        [
            "from modelsearch.backends.database.postgres import postgres",
            "from modelsearch.backends.database.sqlite import query as fts",
            "from modelsearch.backends.database.sqlite import sqlite",
        ],
    ),
    "setting_kinds.py": (
        "conf and setting_kinds are importable before django.setup() (the bottom layer); "
        "wagtail.images.models needs the app registry",
        [
            "from wagtail.images.exceptions import InvalidFilterSpecError",
            "from wagtail.images.models import Filter",
        ],
    ),
    "translation.py": (
        "wagtail_localize's models are imported only when a translation is made, so that a "
        "site without wagtail_localize reaches prism_news.E003 instead of a traceback",
        [
            "from wagtail_localize.models import "
            "StringSegment, StringTranslation, Translation, TranslationSource",
        ],
    ),
    "publish_gate.py": (
        "wagtail_localize's models and fields, only where a translation is judged: a site "
        "without wagtail_localize reaches prism_news.E003 instead of a traceback",
        [
            "from wagtail_localize.models import Translation",
            "from wagtail_localize.models import StringSegment",
            "from wagtail_localize.fields import get_translatable_fields",
        ],
    ),
    "workflow_actions.py": (
        "Wagtail imports WAGTAIL_FINISH_WORKFLOW_ACTION while wagtail.models is half-loaded; "
        "prism_news.publish_gate imports wagtail.models (an ImportError at start-up)",
        [
            "from .publish_gate import PublishingBlocked, report_refusal",
        ],
    ),
    "markup.py": (
        "markup is in the bottom layer, importable before django.setup(); Wagtail's rich-text "
        "converters need the app registry",
        [
            "from wagtail.admin.rich_text.converters.editor_html import WhitelistRule",
            "from wagtail.whitelist import allow_without_attributes",
            "from wagtail.admin.rich_text.converters.db_html import "
            "DbHTMLConverter, DbHtmlInputWhitelister",
        ],
    ),
    "apps.py": (
        "AppConfig.ready(): modules imported for what they register (system checks, v3's "
        "read rules, signal handlers), once the models are loaded",
        [
            "from . import checks",
            "from .api import v3",
            "from .signal_handlers import register_signal_handlers",
        ],
    ),
    "checks.py": (
        "the v2 API's views need Django REST framework, an optional app: imported only to "
        "look for the mounted API",
        [
            "from .api.views import NewsPagesAPIViewSet",
        ],
    ),
    "api/v3.py": (
        "wagtail.api.v3 (with django-ninja) and wagtail.contrib.redirects are optional apps; "
        "api/v3.py is imported in ready() whether or not the host installs them",
        [
            "from wagtail.api.v3.api import api",
            "from ninja.errors import ConfigError",
            "from wagtail.api.v3.api import api",
            "from wagtail.locales.api.v3 import router",
            "from wagtail.api.v3.schemas.params import OrderingSchema, SearchSchema",
            "from wagtail.api.v3.routers.pages import PageFilterSchema",
            "from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS",
            "from wagtail.images import get_image_model",
            "from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS",
            "from wagtail.documents import get_document_model",
            "from wagtail.documents.api.v3.router import BASE_DOCUMENT_READ_FIELDS",
            "from wagtail.contrib.redirects.api.v3.router import BASE_REDIRECT_READ_FIELDS",
            "from wagtail.contrib.redirects.models import Redirect",
            "from wagtail.api.validators import APIFieldValidator",
            "from wagtail.api.v3.errors import problem_response",
            "from wagtail.api.v3.routers import pages",
            "from wagtail.api.v3.querysets import get_pages_queryset",
            "from wagtail.api.v3.errors import as_validation_error",
            "from wagtail.api.v3.pagination import WagtailLimitOffsetPagination",
            "from wagtail.api.v3.routers.pages import PageFilterSchema",
            "from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS",
            "from wagtail.api.v3.schemas.params import "
            "APIFieldFilterSchema, OrderingSchema, SearchSchema",
            "from wagtail.images.api.v3 import router as images",
            "from wagtail.api.v3.pagination import WagtailLimitOffsetPagination",
            "from wagtail.api.v3.schemas.params import "
            "APIFieldFilterSchema, OrderingSchema, SearchSchema",
            "from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS, get_images_queryset",
        ],
    ),
}


def modules():
    """``{dotted name: path}`` for every module of the package but its migrations."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def short(path):
    """``caching/signals.py``: a module's path as the layer table names it."""
    return path.relative_to(PACKAGE).as_posix()


# --- Reading the source


MODULE_LEVEL, IN_FUNCTION, TYPE_CHECKING = "module level", "in a function", "TYPE_CHECKING"


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_statements(path):
    """``[(statement node, where)]``: every import of the file, where it is one of
    ``MODULE_LEVEL`` (module body, class bodies, top-level ``if``/``try``),
    ``IN_FUNCTION`` and ``TYPE_CHECKING``."""
    found = []

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, where))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, IN_FUNCTION)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                inner = IN_FUNCTION if where == IN_FUNCTION else TYPE_CHECKING
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), inner)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), where)
            else:
                visit(child, where)

    visit(ast.parse(path.read_text(), filename=str(path)), MODULE_LEVEL)
    return found


def targets(name, path, node):
    """The prism_news modules one import statement of module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if isinstance(node, ast.Import):
        found = [alias.name for alias in node.names]
    else:
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module or ""
        # "from . import x" imports the submodule x when there is one.
        found = [
            f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
            for alias in node.names
        ]
    return [t for t in found if t.split(".")[0] == "prism_news"]


def imported(name, path, *, where=None):
    """``[(dotted name imported, line)]`` of prism_news modules ``name`` imports
    (all of them, or those imported ``where``)."""
    return [
        (target, node.lineno)
        for node, place in import_statements(path)
        if where is None or place == where
        for target in targets(name, path, node)
    ]


# --- The layer table of docs/architecture.md


def layer_table(text=None):
    """``[(layer name, [entries])]`` from the table under "| layer | modules |", bottom
    layer first. An entry is a module (``conf.py``) or a package (``caching/``)."""
    text = ARCHITECTURE.read_text() if text is None else text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\|\s*layer\s*\|", line))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        name, entries = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append((name, re.findall(r"`([^`]+)`", entries)))
    return rows


LAYERS = layer_table()


def layer_of(module_path, layers=LAYERS):
    """``(index, layer name)`` of the most specific entry naming ``module_path``
    (``caching/signals.py`` before ``caching/``), or None."""
    best = None
    for index, (layer, entries) in enumerate(layers):
        for entry in entries:
            covers = module_path == entry or (entry.endswith("/") and module_path.startswith(entry))
            if covers and (best is None or len(entry) > len(best[0])):
                best = (entry, index, layer)
    return None if best is None else best[1:]


def test_the_table_has_the_five_layers():
    assert [name for name, _ in LAYERS] == [
        "settings and rules",
        "representations and rules on content",
        "models",
        "read side",
        "admin, commands and start-up",
    ]


def test_every_entry_of_the_table_exists_once():
    entries = [entry for _, row in LAYERS for entry in row]
    assert [e for e, n in Counter(entries).items() if n > 1] == []
    missing = [
        entry
        for entry in entries
        if not ((PACKAGE / entry).is_dir() if entry.endswith("/") else (PACKAGE / entry).is_file())
    ]
    assert missing == [], f"docs/architecture.md names what does not exist: {missing}"


def test_every_module_is_in_a_layer():
    unplaced = sorted(short(path) for path in MODULES.values() if layer_of(short(path)) is None)
    assert unplaced == [], f"not in the layer table of docs/architecture.md: {unplaced}"


def test_imports_go_down_or_across_the_layers():
    offences = []
    for name, path in sorted(MODULES.items()):
        own = layer_of(short(path))
        for target, line in imported(name, path):
            theirs = layer_of(short(MODULES[target]))
            if theirs[0] > own[0]:
                offences.append(f"{short(path)}:{line} ({own[1]}) imports {target} ({theirs[1]})")
    assert offences == []


def test_module_level_imports_form_no_cycle():
    graph = {}
    for name, path in MODULES.items():
        # Importing a.b.c imports a and a.b first; a package importing its own
        # submodules is how packages work, not a cycle.
        found = set()
        for target, _line in imported(name, path, where=MODULE_LEVEL):
            parts = target.split(".")
            found.update(".".join(parts[:i]) for i in range(2, len(parts) + 1))
        graph[name] = {t for t in found if t in MODULES and not name.startswith(t + ".")}
        graph[name].discard(name)

    cycles = []
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == []


def function_level_imports():
    """``{module path: [statement, ...]}`` of every import inside a function."""
    found = {}
    for path in MODULES.values():
        inside = [
            ast.unparse(node) for node, where in import_statements(path) if where == IN_FUNCTION
        ]
        if inside:
            found[short(path)] = inside
    return found


def test_imports_inside_functions_are_the_listed_ones():
    found = {name: sorted(statements) for name, statements in function_level_imports().items()}
    listed = {name: sorted(statements) for name, (_, statements) in FUNCTION_LEVEL_IMPORTS.items()}
    assert found == listed


def test_the_architecture_doc_counts_them():
    statements = sum(len(s) for _, s in FUNCTION_LEVEL_IMPORTS.values())
    claim = re.search(r"(\d+) imports inside functions, in (\d+) modules", ARCHITECTURE.read_text())
    assert claim, "docs/architecture.md says how many imports are left inside functions"
    assert (int(claim[1]), int(claim[2])) == (statements, len(FUNCTION_LEVEL_IMPORTS))
    doc = ARCHITECTURE.read_text()
    assert [m for m in FUNCTION_LEVEL_IMPORTS if f"`{m}`" not in doc] == []


def test_the_analysis_sees_imports():
    # The checks above pass trivially if the parser finds nothing: it must find these.
    pages = MODULES["prism_news.models.pages"]
    assert "prism_news.blocks" in {t for t, _ in imported("prism_news.models.pages", pages)}
    fields = MODULES["prism_news.api.fields"]
    assert any(
        t.startswith("prism_news.representations")
        for t, _ in imported("prism_news.api.fields", fields)
    )
    apps = MODULES["prism_news.apps"]
    inside = {t for t, _ in imported("prism_news.apps", apps, where=IN_FUNCTION)}
    assert "prism_news.api.v3" in inside
    assert layer_of("caching/signals.py")[1] == "read side"
    assert layer_of("caching/store.py")[1] == "settings and rules"


def test_imports_in_functions_and_type_checking_blocks_are_seen(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import prism_news.conf\n"
        "if TYPE_CHECKING:\n"
        "    from prism_news import importer\n"
        "class A:\n"
        "    from prism_news import feeds\n"
        "def f():\n"
        "    from prism_news import ai_review\n"
    )
    where = {ast.unparse(node): place for node, place in import_statements(source)}
    assert where == {
        "from typing import TYPE_CHECKING": MODULE_LEVEL,
        "import prism_news.conf": MODULE_LEVEL,
        "from prism_news import importer": TYPE_CHECKING,
        "from prism_news import feeds": MODULE_LEVEL,
        "from prism_news import ai_review": IN_FUNCTION,
    }


# --- The card, defined once


@pytest.fixture
def article(category):
    return ArticlePageFactory(
        parent=category,
        title="Pax Silica",
        ai_involvement="analysis",
        sources=[source()],
        hero_image=ImageFactory(),
        hero_image_alt="Nodes",
    )


def test_card_builds_the_fields_of_the_definition(article):
    assert tuple(card(article)) == CARD.fields


def test_api_listing_items_are_the_card(client, article):
    item = client.get(f"{API}?type=prism_news.ArticlePage").json()["items"][0]
    expected = card(ArticlePage.objects.get(pk=article.pk))
    assert item["id"] == expected.pop("id")
    assert item["meta"]["locale"] == expected.pop("locale")
    assert {k: v for k, v in item.items() if k not in ("id", "meta")} == expected
    assert tuple(expected) == CARD.listing_fields


def test_listing_default_fields_come_from_the_card():
    fields = NewsPagesAPIViewSet.get_listing_default_fields(ArticlePage)
    assert [name for name in fields if name in CARD.listing_fields] == list(CARD.listing_fields)


def test_querysets_fetch_what_the_card_reads():
    for queryset in (ArticlePage.objects.for_cards(), with_article_relations(ArticlePage.objects)):
        assert set(queryset.query.select_related) >= set(CARD.select_related)


def test_html_card_shows_the_card_renditions(client, article, category, prism_settings):
    prism_settings(API_CARD_RENDITIONS={"small": "fill-200x100", "wide": "width-500"})
    html = client.get(category.url).content.decode()
    assert ".fill-200x100." in html and ".width-500." in html
    assert "fill-480x270" not in html


def test_card_renditions_follow_the_setting(article, prism_settings):
    prism_settings(API_CARD_RENDITIONS={"small": "fill-200x100"})
    assert CARD.rendition_specs() == ["fill-200x100"]
    image = card(article)["hero_image"]
    assert list(image["renditions"]) == ["small"] and image["renditions"]["small"]["width"] == 200


def test_every_on_commit_call_in_the_source_is_robust():
    """Every ``on_commit`` call anywhere in prism_news passes ``robust=True``, so a
    callback added later on another path cannot forget it (tests/test_cache_faults.py
    checks the publish path's callbacks at run time)."""
    package = PACKAGE
    calls = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "on_commit":
                robust = any(
                    k.arg == "robust" and getattr(k.value, "value", None) is True
                    for k in node.keywords
                )
                calls.append((f"{path.relative_to(package)}:{node.lineno}", robust))
    assert len(calls) >= 4  # invalidation, renditions, the webhook event, the reference index
    assert [where for where, robust in calls if not robust] == []
