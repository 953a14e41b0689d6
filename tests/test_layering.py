"""The package's layers, and the card defined once.

Read from the source with ``ast``: models, blocks, the shapes and the helpers the
models call sit below the API layer and never import it; the shapes sit below
the models too; module-level imports form no cycle; and the few imports left
inside functions are the ones Django or Wagtail make necessary. Then the card:
every consumer (card(), API listings, querysets, the HTML card) derives from
``prism_news.shapes.card.CARD``.
"""

import ast
from pathlib import Path

import pytest

from prism_news.api.prefetch import with_article_relations
from prism_news.api.views import NewsPagesAPIViewSet
from prism_news.models import ArticlePage
from prism_news.shapes.card import CARD, card

from .api_fixtures import API
from .factories import ArticlePageFactory, ImageFactory, source

PACKAGE = Path(__file__).resolve().parent.parent / "prism_news"

#: Below the API layer: none of these may import prism_news.api.
BELOW_API = [
    "models",
    "blocks.py",
    "shapes",
    "loading.py",
    "disclaimers.py",
    "related.py",
    "reading_time.py",
    "publishing.py",
    "review.py",
    "provenance.py",
    "visibility.py",
    "links.py",
    "translation.py",
    "preview.py",
    "forms.py",
    "conf.py",
    "languages.py",
    "markup.py",
]
#: Below the models as well: these may not import prism_news.models either (they
#: find a model through Django's app registry when they query one).
BELOW_MODELS = [name for name in BELOW_API if name != "models"]

#: Where an import inside a function is needed, and why.
FUNCTION_LEVEL_IMPORTS = {
    # AppConfig.ready(): modules imported for what they register, once models are loaded.
    "apps.py",
    # Wagtail imports WAGTAIL_FINISH_WORKFLOW_ACTION while loading its own models.
    "workflows.py",
    # System checks query models, and Django imports the checks module early.
    "checks.py",
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


def imported(name, path, *, top_level_only=False):
    """``[(dotted name imported, line)]`` of prism_news modules ``name`` imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # "from . import x" imports the submodule x when there is one.
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                for alias in node.names
            ]
        else:
            continue
        found.extend((t, node.lineno) for t in targets if t.split(".")[0] == "prism_news")
    return found


def files_under(names):
    for name in names:
        path = PACKAGE / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def dotted(path):
    return next(name for name, p in MODULES.items() if p == path)


@pytest.mark.parametrize(
    "layer, forbidden", [(BELOW_API, "prism_news.api"), (BELOW_MODELS, "prism_news.models")]
)
def test_lower_layers_do_not_import_higher_ones(layer, forbidden):
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in files_under(layer)
        for target, line in imported(dotted(path), path)
        if target == forbidden or target.startswith(forbidden + ".")
    ]
    assert offences == []


def test_module_level_imports_form_no_cycle():
    graph = {}
    for name, path in MODULES.items():
        # Importing a.b.c imports a and a.b first; a package importing its own
        # submodules is how packages work, not a cycle.
        targets = set()
        for target, _line in imported(name, path, top_level_only=True):
            parts = target.split(".")
            targets.update(".".join(parts[:i]) for i in range(2, len(parts) + 1))
        graph[name] = {t for t in targets if t in MODULES and not name.startswith(t + ".")}
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


def test_imports_inside_functions_only_where_needed():
    places = {
        f"{path.relative_to(PACKAGE)}"
        for name, path in MODULES.items()
        if {target for target, _ in imported(name, path)}
        - {target for target, _ in imported(name, path, top_level_only=True)}
    }
    assert places <= FUNCTION_LEVEL_IMPORTS, sorted(places - FUNCTION_LEVEL_IMPORTS)


def test_the_analysis_sees_imports():
    # The checks above pass trivially if the parser finds nothing: it must find these.
    pages = MODULES["prism_news.models.pages"]
    assert "prism_news.blocks" in {t for t, _ in imported("prism_news.models.pages", pages)}
    fields = MODULES["prism_news.api.fields"]
    assert any(
        t.startswith("prism_news.shapes") for t, _ in imported("prism_news.api.fields", fields)
    )
    apps = MODULES["prism_news.apps"]
    inside = {t for t, _ in imported("prism_news.apps", apps)} - {
        t for t, _ in imported("prism_news.apps", apps, top_level_only=True)
    }
    assert "prism_news.api.v3" in inside


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
