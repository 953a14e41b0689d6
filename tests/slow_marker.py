"""Which tests start another process: they must be marked ``slow``.

``pytest -m "not slow"`` promises to skip every test that starts a subprocess or a
browser (docs/development.md). This reads each test module's source: a function
spawns when it uses ``subprocess``, ``os.system`` or Playwright, or calls or requests
(as a fixture) a function that does. ``conftest.py`` refuses to run a collected test
that spawns without the marker.
"""

import ast
from functools import cache
from pathlib import Path

# Names whose use starts another process.
SPAWNING_NAMES = {"subprocess", "sync_playwright", "async_playwright", "Popen"}
SPAWNING_ATTRIBUTES = {"system", "Popen", "sync_playwright", "async_playwright"}


def _starts_a_process(node):
    if isinstance(node, ast.Name) and node.id in SPAWNING_NAMES:
        return True
    if isinstance(node, ast.Attribute) and node.attr in SPAWNING_ATTRIBUTES:
        return not (node.attr == "system" and getattr(node.value, "id", None) != "os")
    # pytest.importorskip("playwright.sync_api") and the like.
    return isinstance(node, ast.Constant) and str(node.value).startswith("playwright")


def spawning_functions(source):
    """Names of the module-level functions in ``source`` that start a process,
    directly or through another module-level function (called or requested as a
    fixture by parameter name)."""
    tree = ast.parse(source)
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    uses = {}
    spawning = set()
    for name, function in functions.items():
        names = {arg.arg for arg in function.args.args}
        for node in ast.walk(function):
            if _starts_a_process(node):
                spawning.add(name)
            if isinstance(node, ast.Name):
                names.add(node.id)
        uses[name] = names & functions.keys()
    changed = True
    while changed:
        changed = False
        for name, used in uses.items():
            if name not in spawning and used & spawning:
                spawning.add(name)
                changed = True
    return spawning


@cache
def _spawning_in_file(path):
    return frozenset(spawning_functions(Path(path).read_text(encoding="utf-8")))


def unmarked_spawning_tests(items):
    """Node ids of the collected ``items`` that start a process but are not ``slow``."""
    spawning_fixtures = set()
    for item in items:
        spawning_fixtures |= _spawning_in_file(str(item.path))
    found = []
    for item in items:
        name = getattr(item, "originalname", item.name)
        spawns = name in _spawning_in_file(str(item.path)) or any(
            fixture in spawning_fixtures for fixture in getattr(item, "fixturenames", ())
        )
        if spawns and item.get_closest_marker("slow") is None:
            found.append(item.nodeid)
    return found
