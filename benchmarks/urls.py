"""The example site's URLs plus Wagtail's stock v2 pages endpoint, to compare against."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from newsroom.urls import urlpatterns as site_urlpatterns

stock = WagtailAPIRouter("stockapi")
stock.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [path("stock-api/v2/", stock.urls), *site_urlpatterns]
