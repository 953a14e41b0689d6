"""The demo's headless preview client: one static HTML page and its script.

A real front end (Next.js, an app) does the same in its own code: read
``content_type`` and ``token`` from its URL, fetch ``/api/v2/page_preview/`` with
them, and render the result as it renders a published article.
"""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

HERE = Path(__file__).resolve().parent

# The admin shows the preview in a frame of its own origin; the token in the URL
# must not leak to other sites through the Referer header.
HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: https: http:; script-src 'self'; "
        "style-src 'self' 'unsafe-inline'; frame-ancestors 'self'"
    ),
}


def _serve(name, content_type):
    response = HttpResponse((HERE / name).read_bytes(), content_type=content_type)
    for header, value in HEADERS.items():
        response[header] = value
    return response


@require_GET
@xframe_options_sameorigin
def page(request):
    return _serve("index.html", "text/html; charset=utf-8")


@require_GET
def script(request):
    return _serve("client.js", "text/javascript; charset=utf-8")
