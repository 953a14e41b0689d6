"""The API v2 endpoints prism_news ships: pages (articles, categories, disclaimers) and images."""

from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.http import Http404
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page, Site

from ..conf import get_settings
from ..models.querysets import visible_q
from .filters import ARTICLE_FILTERS, LARGEST_ID, ArticleFilter, check_parameters
from .prefetch import prepare_detail, prepare_listing, with_article_relations
from .serializers import NewsPageSerializer

#: The card: what an article listing shows by default (besides id and meta).
CARD_FIELDS = [
    "title",
    "summary",
    "url",
    "category",
    "language_label",
    "published_at",
    "reading_time",
    "ai",
    "hero_image",
]


def _is_article_model(model):
    from ..models import ArticlePage

    return isinstance(model, type) and issubclass(model, ArticlePage)


class BoundedPagination(BasePagination):
    """limit/offset, bounded by PRISM_NEWS["API_LIMIT_MAX"] and ["API_OFFSET_MAX"]."""

    def paginate_queryset(self, queryset, request, view=None):
        # check_parameters has already refused anything that is not a bounded whole number.
        largest = get_settings()["API_LIMIT_MAX"]
        offset = int(request.GET.get("offset", 0))
        limit = int(request.GET.get("limit", min(20, largest)))
        self.total_count = queryset.count()
        return queryset[offset : offset + limit]

    def get_paginated_response(self, data):
        return Response({"meta": {"total_count": self.total_count}, "items": data})


class BoundedInputMixin:
    """Refuse bad query parameters with a 400 before any of them reaches SQL."""

    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request.GET)
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("id: expected a whole number")

    def check_pk(self):
        # The URL takes any digits; an id beyond 64 bits would overflow in SQL.
        if int(self.kwargs.get("pk", 0)) > LARGEST_ID:
            raise Http404("not found")

    def get_object(self):
        self.check_pk()
        return super().get_object()


class NewsPagesAPIViewSet(BoundedInputMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, made for a newsroom.

    - only live, public, unexpired pages, whoever is logged in;
    - article filters (see ``filters.ArticleFilter``), newest first by default;
    - article listings show cards and make a fixed number of queries;
    - ``find/?html_path=`` resolves paths in every locale, prefixed or not.
    """

    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        ArticleFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    base_serializer_class = NewsPageSerializer
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(ARTICLE_FILTERS)
    detail_only_fields = [
        *PagesAPIViewSet.detail_only_fields,
        "body",
        "disclaimer",
        "related",
        "translations",
        "json_ld",
    ]

    @classmethod
    def get_listing_default_fields(cls, model):
        fields = super().get_listing_default_fields(model)
        if _is_article_model(model):
            fields += [name for name in CARD_FIELDS if name not in fields]
        return fields

    def get_base_queryset(self):
        # The public view, whoever asks: a session cookie (an editor's, say) must
        # not widen it, so view restrictions are applied as for an anonymous reader.
        queryset = Page.objects.filter(visible_q())
        try:
            site = SiteFilterValidator(
                site=self.request.GET.get("site"), request=self.request
            ).site_obj
        except ValueError as error:
            raise BadRequestError(f"site: {error}") from error
        if site is None:
            return queryset.none()
        roots = [site.root_page]
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            roots += list(site.root_page.get_translations())
        in_site = Q()
        for root in roots:
            in_site |= Q(path__startswith=root.path)
        # As a subquery: search backends cannot read an EXISTS condition, only pk__in.
        return Page.objects.filter(pk__in=queryset.filter(in_site).values("pk"))

    def get_queryset(self):
        from ..models import ArticlePage

        if "type" not in self.request.GET and any(n in self.request.GET for n in ARTICLE_FILTERS):
            queryset = ArticlePage.objects.filter(
                pk__in=self.get_base_queryset().values_list("pk", flat=True)
            )
        else:
            queryset = super().get_queryset()
        if _is_article_model(queryset.model):
            queryset = with_article_relations(queryset)
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = self.request.GET
        if (
            self.action == "listing_view"
            and _is_article_model(queryset.model)
            and "order" not in query
            and "search" not in query
        ):
            queryset = queryset.order_by(
                F("published_at").desc(nulls_last=True),
                F("first_published_at").desc(nulls_last=True),
                "-pk",
            )
        return queryset

    def paginate_queryset(self, queryset):
        items = list(super().paginate_queryset(queryset))
        if items and _is_article_model(type(items[0])):
            prepare_listing(items)
        return items

    def get_object(self):
        # One query finds the page's type among the visible pages, one fetches it
        # specifically with what it needs (Wagtail's own takes a generic fetch more).
        if "_prism_object" not in self.__dict__:
            self.check_pk()
            queryset = self.filter_queryset(self.get_queryset())
            content_type_id = (
                queryset.filter(pk=self.kwargs["pk"]).values_list("content_type", flat=True).first()
            )
            if content_type_id is None:
                raise Http404("not found")
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            queryset = model.objects.filter(pk=self.kwargs["pk"])
            if _is_article_model(model):
                queryset = with_article_relations(queryset)
            page = queryset.get()
            page.site = Site.find_for_request(self.request)
            if _is_article_model(model):
                prepare_detail(page)
            self._prism_object = page
        return self._prism_object

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            page = self.route_path(request, request.GET["html_path"])
            if page is not None and queryset.filter(pk=page.pk).exists():
                return page
            return None
        return super().find_object(queryset, request)

    def route_path(self, request, path):
        """The page at ``path`` on this site, in any locale: "/en/politics/x/" or "/politics/x/"."""
        site = Site.find_for_request(request)
        if site is None:
            return None
        # Paths come as a browser shows them or percent-encoded (page.url encodes unicode slugs).
        components = [unquote(part) for part in path.split("/") if part]
        root = site.root_page
        if components:
            locale = Locale.objects.filter(language_code__iexact=components[0]).first()
            if locale is not None:
                translated = root.get_translation_or_none(locale)
                if translated is not None:
                    root, components = translated, components[1:]
        try:
            page, _, _ = root.specific.route(request, components)
        except Http404:
            return None
        return page


class NewsImagesAPIViewSet(BoundedInputMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint with the same input bounds as the pages endpoint."""
