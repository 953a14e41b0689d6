"""The example site's URLs, Wagtail's stock v2 pages endpoint to compare against, and a
trivial view returning fixed bytes (the floor a cached answer is measured against)."""

from django.http import HttpResponse
from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from newsroom.urls import urlpatterns as site_urlpatterns

stock = WagtailAPIRouter("stockapi")
stock.register_endpoint("pages", PagesAPIViewSet)

#: Set by the benchmark to the cached article detail's bytes.
FLOOR_BYTES = b""


def floor(request):
    return HttpResponse(FLOOR_BYTES, content_type="application/json")


urlpatterns = [
    path("stock-api/v2/", stock.urls),
    path("bench-floor/", floor),
    *site_urlpatterns,
]
