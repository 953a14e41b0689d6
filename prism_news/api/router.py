from wagtail.api.v2.router import WagtailAPIRouter

from ..preview import HEADLESS_PREVIEW_INSTALLED
from .preview import PagePreviewAPIViewSet
from .views import NewsImagesAPIViewSet, NewsPagesAPIViewSet


def api_router(name="wagtailapi"):
    """A v2 router with prism_news's pages, images and page preview endpoints (the
    last one with ``wagtail_headless_preview`` in ``INSTALLED_APPS``).

    In urls.py: ``path("api/v2/", api_router().urls)``.
    """
    router = WagtailAPIRouter(name)
    router.register_endpoint("pages", NewsPagesAPIViewSet)
    router.register_endpoint("images", NewsImagesAPIViewSet)
    if HEADLESS_PREVIEW_INSTALLED:
        router.register_endpoint("page_preview", PagePreviewAPIViewSet)
    return router
