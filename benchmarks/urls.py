"""The example site's URLs, Wagtail's stock v2 pages endpoint to compare against, and a
trivial view returning fixed bytes (the floor a cached answer is measured against)."""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from newsroom.urls import urlpatterns as site_urlpatterns

stock = WagtailAPIRouter("stockapi")
stock.register_endpoint("pages", PagesAPIViewSet)

#: The bytes of the cached detail and listing: set by the benchmark in its own process, read
#: from the files it wrote (PRISM_BENCH_FLOOR) in the gunicorn it starts.
FLOOR = {"detail": b"", "listing": b""}
if os.environ.get("PRISM_BENCH_FLOOR"):
    FLOOR = {name: (Path(os.environ["PRISM_BENCH_FLOOR"]) / name).read_bytes() for name in FLOOR}


def floor(request, name):
    if name not in FLOOR:
        raise Http404
    return HttpResponse(FLOOR[name], content_type="application/json")


urlpatterns = [
    path("stock-api/v2/", stock.urls),
    path("bench-floor/<str:name>/", floor),
    *site_urlpatterns,
]
