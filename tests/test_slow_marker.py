"""The check that keeps ``-m "not slow"`` honest finds what starts a process."""

from pathlib import Path

from .slow_marker import spawning_functions

SOURCE = """
import os
import subprocess

def run(args):
    return subprocess.run(args, check=True)

def node_script():
    return run(["node", "-e", "1"])

def shell():
    os.system("true")

def browser():
    sync_api = pytest.importorskip("playwright.sync_api")

def test_direct():
    subprocess.run(["true"])

def test_through_a_helper():
    node_script()

def test_through_a_fixture(browser):
    pass

def test_plain(settings):
    assert settings.system  # an attribute called system, not os.system

def test_with_another_fixture(client):
    pass
"""


def test_finds_direct_helper_and_fixture_spawns():
    assert spawning_functions(SOURCE) == {
        "run", "node_script", "shell", "browser",
        "test_direct", "test_through_a_helper", "test_through_a_fixture",
    }  # fmt: skip


def test_the_project_tests_that_spawn_are_the_known_ones():
    tests = Path(__file__).parent
    found = {
        (path.name, name)
        for path in sorted(tests.glob("test_*.py"))
        for name in spawning_functions(path.read_text(encoding="utf-8"))
        if name.startswith("test_")
    }
    assert {
        ("test_project.py", "test_system_checks_pass_for_the_example_site"),
        ("test_install.py", "test_readme_installs_into_a_fresh_wagtail_project"),
        ("test_webhook_setup.py", "test_the_javascript_receiver_example_verifies_a_real_delivery"),
    } <= found
