from wagtail.api.v2.router import WagtailAPIRouter

from .preview import PagePreviewAPIViewSet
from .views import NewsImagesAPIViewSet, NewsPagesAPIViewSet


def api_router(name="wagtailapi"):
    """A v2 router with prism_news's pages, images and page preview endpoints.

    In urls.py: ``path("api/v2/", api_router().urls)``.
    """
    router = WagtailAPIRouter(name)
    router.register_endpoint("pages", NewsPagesAPIViewSet)
    router.register_endpoint("images", NewsImagesAPIViewSet)
    router.register_endpoint("page_preview", PagePreviewAPIViewSet)
    return router
