"""The example site as an operator runs it: its own settings (``newsroom.settings``, no
test settings), a SQLite file or the PostgreSQL of ``DATABASE_URL``, ``runserver`` and
management commands as separate processes.

``migrated_sqlite`` migrates one SQLite file per test session (``migrate`` and
``createcachetable``, as ``make demo`` does); each test gets a copy, with a small
newsroom in it (``NEWSROOM``: an editor, a section and articles).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_site"
PASSWORD = "pw-for-tests"  # noqa: S105

#: An editor, a section and ``ARTICLES`` live articles in it (``manage.py shell``).
NEWSROOM = f"""
from django.contrib.auth import get_user_model
from wagtail.models import Site
from prism_news.models import ArticlePage, CategoryIndexPage

get_user_model().objects.create_superuser("admin", "admin@example.com", {PASSWORD!r})
home = Site.objects.get(is_default_site=True).root_page
politics = home.add_child(instance=CategoryIndexPage(title="Politics", slug="politics"))
for number in range(int({{articles}})):
    politics.add_child(instance=ArticlePage(
        title=f"Story {{number}}", slug=f"story-{{number}}", summary="A summary.",
        ai_involvement="none", body=[("paragraph", "<p>Body.</p>")],
    ))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH", "REDIS_URL"}
    }
    env.update(DEBUG="1", DATABASE_URL=database_url, PYTHONUNBUFFERED="1", **extra)
    return env


def manage(env, *args, stdin=None, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def get(url, headers=None, timeout=30):
    """``(status, headers, body)``, for any status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@contextmanager
def serving(env, *, stderr=None, threading=True):
    """``runserver`` on a free port (threaded, as ``make demo`` runs it; or one thread
    for every request, as a gunicorn sync worker); yields its base URL once it answers."""
    port = free_port()
    options = [] if threading else ["--nothreading"]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", *options],
        cwd=EXAMPLE,
        env={**env, "SITE_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=stderr if stderr is not None else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(240):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=5)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers (a 503 is an answer)
            except OSError:
                assert server.poll() is None, "runserver exited"
                time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A migrated SQLite file with the response cache's table."""
    path = tmp_path_factory.mktemp("site-db") / "template.sqlite3"
    env = environment(f"sqlite:///{path}")
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    return path


@pytest.fixture
def site_db(migrated_sqlite, tmp_path):
    """A copy of the migrated file for one test: ``(path, env)``. The template is not in
    WAL mode any more once its last connection closed, so a plain copy is whole."""
    path = tmp_path / "site.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return path, environment(f"sqlite:///{path}")


def newsroom(env, articles=3):
    manage(env, "shell", "-c", NEWSROOM.replace("{articles}", str(articles)))
