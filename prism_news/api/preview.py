"""``GET /api/v2/page_preview/?content_type=…&token=…``: the draft behind a preview token.

The same fields and shapes as the pages endpoint's detail (it is that viewset,
serving one page that is not read from the public tables), for the page as the
editor previewed it, unsaved changes included. Anything but a valid, unexpired
token made for that page and content type is a 404. Responses are never
cached: ``Cache-Control: private, no-store``, no ``ETag``.
"""

from django.http import Http404
from django.urls import path
from rest_framework.fields import SkipField
from rest_framework.response import Response
from wagtail.api.v2.serializers import DetailUrlField
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Site

from ..preview import PagePreview, page_from_preview_request
from .prefetch import prepare_detail
from .serializers import NewsPageSerializer
from .views import NewsPagesAPIViewSet, _is_article_model

PREVIEW_PARAMETERS = frozenset(["content_type", "token", "fields", "rich_text_format", "format"])
NOT_FOUND = "not found: the preview token is missing, invalid, expired or not for this page"


class PreviewDetailUrlField(DetailUrlField):
    def get_attribute(self, instance):
        if instance.pk is None:  # a page not created yet has no detail URL
            return None
        try:
            return super().get_attribute(instance)
        except SkipField:
            return None


class PreviewPageSerializer(NewsPageSerializer):
    detail_url = PreviewDetailUrlField(read_only=True)


class PagePreviewAPIViewSet(NewsPagesAPIViewSet):
    """Register it after the pages endpoint (``api_router()`` does)."""

    name = "page_preview"
    # Not Page: the router must never take this endpoint for a page's detail URL.
    model = PagePreview
    base_serializer_class = PreviewPageSerializer

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]

    def preview_view(self, request):
        unknown = set(request.GET) - PREVIEW_PARAMETERS
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        return Response(self.get_serializer(self.get_object()).data)

    def get_object(self):
        if "_prism_object" not in self.__dict__:
            page = page_from_preview_request(
                self.request.GET.get("content_type", ""), self.request.GET.get("token", "")
            )
            if page is None:
                raise Http404(NOT_FOUND)
            page.site = Site.find_for_request(self.request)
            if _is_article_model(type(page)):
                prepare_detail(page)
            self._prism_object = page
        return self._prism_object

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A draft must never be stored by a browser, proxy or CDN, nor indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        if "ETag" in response:
            del response["ETag"]
        return response
