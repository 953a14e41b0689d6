"""docs/install.md, followed as written: a `wagtail start` site to a served article and API.

The guide's fenced blocks are its steps, in order: a ``sh`` block runs in a shell (in the
directory the previous one ended in, with this virtualenv first on PATH); a ``python`` block
whose first line is ``# <path>`` is added at the end of that file; one whose first line is
``# python manage.py shell`` is pasted into it. Blocks after "## Going further" are not
steps. The last step starts the server: it is started on a free port instead of the
guide's, and the URLs the guide then names must answer.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "install.md"
GUIDE_PORT = "127.0.0.1:8000"


def steps():
    """``[(language, code)]`` of the guide's steps, and the text after them."""
    text = GUIDE.read_text().split("## Going further")[0]
    return re.findall(r"```(\w+)\n(.*?)```", text, re.S), text


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def test_the_guide_has_steps_of_each_kind():
    blocks, text = steps()
    kinds = [(language, code.splitlines()[0]) for language, code in blocks]
    assert ("python", "# mysite/settings/base.py") in kinds
    assert ("python", "# mysite/urls.py") in kinds
    assert ("python", "# python manage.py shell") in kinds
    assert blocks[-1][0] == "sh" and "runserver" in blocks[-1][1]
    assert re.findall(rf"<http://{GUIDE_PORT}(/[^>]*)>", text)


@pytest.mark.slow
def test_the_install_guide_serves_an_article_and_the_api(tmp_path):
    blocks, text = steps()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    cwd = tmp_path
    *setup, (_sh, serve) = blocks
    for language, code in setup:
        first = code.splitlines()[0]
        if language == "sh":
            script = f"set -e\n{code}\npwd > {tmp_path / '.cwd'}\n"
            result = subprocess.run(
                ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True
            )
            assert result.returncode == 0, f"{code}\n{result.stdout}\n{result.stderr}"
            assert "Traceback" not in result.stderr, result.stderr
            cwd = Path((tmp_path / ".cwd").read_text().strip())
        elif first == "# python manage.py shell":
            result = subprocess.run(
                [sys.executable, "manage.py", "shell"],
                input=code,
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, f"{code}\n{result.stdout}\n{result.stderr}"
        else:
            target = cwd / first.removeprefix("# ")
            target.write_text(target.read_text() + "\n" + code)
    address = f"127.0.0.1:{free_port()}"
    assert GUIDE_PORT in serve
    server = subprocess.Popen(
        ["bash", "-c", "exec " + serve.strip().replace(GUIDE_PORT, address) + " --noreload"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        paths = re.findall(rf"<http://{GUIDE_PORT}(/[^>]*)>", text)
        for _attempt in range(120):
            try:
                fetch(f"http://{address}/")
                break
            except OSError:
                time.sleep(0.5)
        article, api = paths
        status, html = fetch(f"http://{address}{article}")
        assert status == 200 and "Hello from prism_news." in html
        status, body = fetch(f"http://{address}{api}")
        assert status == 200, body
        assert [item["title"] for item in json.loads(body)["items"]] == ["First story"], body
    finally:
        server.terminate()
        server.wait(timeout=30)
