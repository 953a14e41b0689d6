"""A real Varnish in front of the site (deploy/varnish/prism_news.vcl): it keeps what the
site marks public, and a publish purges it at once, through Wagtail's frontend_cache."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "prism_news.vcl"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(VARNISHD).exists(),
        reason="varnishd is not installed (apt-get install varnish; .ci/run does it)",
    ),
    # The site runs in a live server thread that must see what the test writes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(settings, prism_settings):
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    backend_port = server.url.rsplit(":", 1)[1]
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="prism-varnish-"))
    vcl = workdir / "site.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(workdir / "n"), "-a", f"127.0.0.1:{port}",
         "-f", str(vcl), "-s", "malloc,32m", "-T", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    edge = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(edge + "/admin/login/", timeout=2)  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                server.stop()
                pytest.fail(f"varnishd did not start: {output[-2000:]}")
            time.sleep(0.2)
    prism_settings(RESPONSE_CACHE=True)
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": edge,
        }
    }
    yield edge
    process.terminate()
    process.wait(timeout=10)
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def get(url, cookie="theme=dark; _ga=GA1.2.3"):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read().decode(), response.headers


def test_a_publish_is_seen_through_the_edge_in_the_same_test(varnish, category):
    from prism_news.models import NewsroomSettings

    from .factories import ArticlePageFactory

    # Made on the first read otherwise; a change while reading is (rightly) not kept.
    NewsroomSettings.for_site(category.get_site())
    article = ArticlePageFactory(parent=category, title="First title", slug="edge-story")
    article.save_revision().publish()
    api = f"{varnish}/api/v2/pages/{article.pk}/"
    html = f"{varnish}/politics/edge-story/"
    listing = f"{varnish}/api/v2/pages/?type=prism_news.ArticlePage"
    for url in (api, html, listing):
        body, headers = get(url)
        assert "First title" in body and headers["X-Edge-Cache"] == "miss", url
        body, headers = get(url, cookie=None)
        assert headers["X-Edge-Cache"] == "hit", url  # kept at the edge, cookies or not
    # The API is the same with a session; a page is not taken from the edge with one.
    assert get(api, cookie="sessionid=abc")[1]["X-Edge-Cache"] == "hit"
    assert get(html, cookie="sessionid=abc")[1]["X-Edge-Cache"] == "miss"

    article = type(article).objects.get(pk=article.pk)
    article.title = "Second title"
    article.save_revision().publish()  # commits; the purge goes out after the commit

    for url in (api, html, listing):
        body, headers = get(url)
        assert "Second title" in body and "First title" not in body, url
        assert headers["X-Edge-Cache"] == "miss", url


def test_the_edge_keeps_nothing_the_site_does_not_mark_public(varnish, category):
    _, headers = get(f"{varnish}/admin/login/")
    _, again = get(f"{varnish}/admin/login/")
    assert again["X-Edge-Cache"] == "miss"
    assert os.path.exists(VCL)
