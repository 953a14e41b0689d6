"""The API v2 endpoints prism_news ships: pages (articles, categories, disclaimers) and images."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site

from ..caching import SEARCH_TAG, depends_on, depends_on_pages, mark_cacheable, page_tag
from ..conf import get_settings
from ..models import OWN_PAGE_TYPES, ArticlePage
from ..publication_dates import next_publication, only_listed
from ..representations.card import CARD
from . import listing, params
from .filters import ARTICLE_FILTERS, ArticleFilter, SearchFilter
from .images import public_images
from .prefetch import (
    RELATIONS,
    listing_relations,
    prepare_detail,
    prepare_listing,
    with_article_relations,
)
from .public import public_pages, route_path, without_session
from .serializers import NewsImageSerializer, NewsPageSerializer


def _is_article_model(model):
    return isinstance(model, type) and issubclass(model, ArticlePage)


class BoundedPagination(BasePagination):
    """limit/offset, bounded by PRISM_NEWS["API_LIMIT_MAX"] and ["API_OFFSET_MAX"];
    on newest-first article listings also ``cursor`` (see ``prism_news.api.listing``)."""

    def paginate_queryset(self, queryset, request, view=None):
        # check_input has already refused anything that is not a bounded whole number.
        largest = get_settings()["API_LIMIT_MAX"]
        offset = int(request.GET.get("offset", 0))
        limit = int(request.GET.get("limit", min(20, largest)))
        keyset = getattr(view, "keyset", False)
        cursor = request.GET.get("cursor")
        if cursor is not None and not keyset:
            raise BadRequestError(
                "cursor: only for article listings in their default order (no order, no search)"
            )
        self.total_count = listing.total_count(request, queryset)
        self.next_cursor = None
        if not keyset:
            return listing.window(queryset, offset, limit)
        if cursor is not None:
            try:
                queryset = listing.after_cursor(queryset, cursor)
            except params.ParameterError as error:
                raise BadRequestError(str(error)) from error
        items = listing.window(queryset, offset, limit + 1)  # one more: is there a next page?
        if len(items) > limit:
            items = items[:limit]
            if items:  # limit=0 asks for the count alone: no page, so no next one
                self.next_cursor = listing.make_cursor(items[-1])
        self.keyset = True
        return items

    def get_paginated_response(self, data):
        meta = {"total_count": self.total_count}
        if getattr(self, "keyset", False):
            meta["next_cursor"] = self.next_cursor
        return Response({"meta": meta, "items": data})


class BoundedInputMixin:
    """The public API's input rules (``params``), and no session.

    Every query parameter is checked before any of them reaches SQL or the search
    backend. The answer does not depend on who asks: no authentication classes
    (so no ``Vary: Cookie``), and the session is hidden while the view runs, so
    neither an editor's login nor a page password entered in the browser widens it.
    """

    pagination_class = BoundedPagination
    authentication_classes = []

    #: Filter backends that only make sense for listings, skipped when finding one object.
    listing_only_filters = (OrderingFilter, SearchFilter)

    def dispatch(self, request, *args, **kwargs):
        with without_session(request):
            response = super().dispatch(request, *args, **kwargs)
            # Rendered here, not later by Django: the browsable API's page reads the user.
            if not getattr(response, "is_rendered", True):
                response.render()
            return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_input(request.GET)

    def get_renderer_context(self):
        # Wagtail asks for JSON indented by four spaces, which only Python's pure-Python
        # encoder writes (a tenth of a listing's CPU time) and which makes the answer a
        # third larger. Compact JSON; the browsable API (``?format=api``) still indents.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def check_input(self, query):
        try:
            params.check_text(query)
            params.check_ids(query)
            params.check_window(query)
            params.check_site(query)
            params.check_search_operator(query)
            params.check_path(query)
            if "id" in query and not query["id"].isdecimal():
                raise params.ParameterError("id", "expected a whole number")
        except params.ParameterError as error:
            raise BadRequestError(str(error)) from error

    def check_field_filters(self, queryset):
        # The names Wagtail's FieldsFilter filters by (locale has its own filter).
        names = set(self.get_available_fields(queryset.model, db_fields_only=True)) - {"locale"}
        try:
            params.check_field_filters(queryset.model, self.request.GET, names)
        except params.ParameterError as error:
            raise BadRequestError(str(error)) from error

    def filter_queryset(self, queryset):
        self.check_field_filters(queryset)
        return super().filter_queryset(queryset)

    def filter_for_object(self, queryset):
        """The filters that narrow a detail or find lookup (not search, not ordering)."""
        self.check_field_filters(queryset)
        for backend in self.filter_backends:
            if not issubclass(backend, self.listing_only_filters):
                queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    def check_pk(self):
        # The URL takes any digits; an id beyond 64 bits would overflow in SQL.
        if int(self.kwargs.get("pk", 0)) > params.LARGEST_ID:
            raise Http404("not found")

    def get_object(self):
        self.check_pk()
        if not hasattr(self, "_cached_object"):
            queryset = self.filter_for_object(self.get_queryset())
            try:
                self._cached_object = queryset.get(pk=self.kwargs["pk"])
            except queryset.model.DoesNotExist as error:
                raise Http404("not found") from error
        return self._cached_object


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
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ARTICLE_FILTERS, {"cursor"}
    )
    keyset = False  # set for newest-first article listings (cursor pagination)
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
            # Each item is the card (prism_news.representations.card), id and locale in
            # their usual places.
            fields += [name for name in CARD.listing_fields if name not in fields]
            # Present only when the listing searches (SearchSnippetField skips itself).
            fields.append("search_snippet")
        return fields

    def get_base_queryset(self):
        # The public view, whoever asks (see prism_news.api.public), made once per request.
        try:
            return public_pages(self.request)
        except params.ParameterError as error:
            raise BadRequestError(str(error)) from error

    def get_queryset(self):
        # Wagtail asks again from get_serializer_class (and find_view, get_object): the
        # same queryset, made once (it is only ever cloned, never evaluated in place).
        if "_prism_queryset" not in self.__dict__:
            self._prism_queryset = self._make_queryset()
        return self._prism_queryset

    def _listed_model(self):
        """The one model the request names (``type``, or article filters), else None."""
        query = self.request.GET
        if "type" not in query:
            return ArticlePage if any(n in query for n in ARTICLE_FILTERS) else None
        try:
            models = page_models_from_string(query["type"])
        except (LookupError, ValueError):
            return None  # Wagtail's get_queryset refuses it
        return models[0] if len(models) == 1 else None

    def _make_queryset(self):
        model = self._listed_model()
        if _is_article_model(model) and self.action == "listing_view":
            # Visibility on the rows themselves: an ordered index walk can stop early.
            # Article search (prism_news.search) is a queryset filter, so it reads them too.
            try:
                queryset = public_pages(self.request, model, direct=True)
            except params.ParameterError as error:
                raise BadRequestError(str(error)) from error
        elif "type" not in self.request.GET and model is ArticlePage:
            queryset = ArticlePage.objects.filter(
                pk__in=self.get_base_queryset().values_list("pk", flat=True)
            )
        else:
            queryset = super().get_queryset()
        if self.action == "listing_view":
            # Listed from its published_at on; readable at its URL before (detail, find).
            next_publication()
            queryset = only_listed(queryset)
        if _is_article_model(queryset.model):
            queryset = with_article_relations(queryset, self._relations())
        return queryset

    def _relations(self):
        """The article rows beyond the card's that the answer shows: in a listing, those
        its ``fields`` name (a card needs none: three queries fewer); in a detail, all."""
        if self.action != "listing_view":
            return RELATIONS
        return listing_relations(self.request.GET.get("fields"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # Only a detail's parent field reads it: a listing need not make it at all.
        context["base_queryset"] = SimpleLazyObject(self.get_base_queryset)
        return context

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = self.request.GET
        searching = params.search_words(query.get("search", "")) is not None
        if (
            self.action == "listing_view"
            and _is_article_model(queryset.model)
            and "order" not in query
            and not searching
        ):
            self.keyset = True
            queryset = listing.newest_first(queryset)
        return queryset

    def listing_view(self, request):
        # Any page joining or leaving the listings, or a section renamed, changes it.
        depends_on("members", "nav")
        if params.search_words(request.GET.get("search", "")) is not None:
            # What a search finds changes when the index does, which the task worker
            # updates after the publication (prism_news.search_index).
            depends_on(SEARCH_TAG)
        mark_cacheable()
        return super().listing_view(request)

    def detail_view(self, request, pk):
        mark_cacheable()
        return super().detail_view(request, pk)

    def paginate_queryset(self, queryset):
        items = list(super().paginate_queryset(queryset))
        depends_on_pages(items)
        if items and _is_article_model(type(items[0])):
            prepare_listing(items, self._relations())
        return items

    def get_object(self):
        # One query finds the page's type among the visible pages, one fetches it
        # specifically with what it needs (Wagtail's own takes a generic fetch more).
        if "_prism_object" not in self.__dict__:
            self.check_pk()
            queryset = self.filter_for_object(self.get_queryset())
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
            depends_on_pages([page])
            page.site = Site.find_for_request(self.request)
            if _is_article_model(model):
                prepare_detail(page)
            self._prism_object = page
        return self._prism_object

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            page = route_path(request, request.GET["html_path"])
            if page is None or not queryset.filter(pk=page.pk).exists():
                return None
        else:
            page = super().find_object(queryset, request)
        if page is not None and issubclass(page.specific_class or Page, OWN_PAGE_TYPES):
            keep_found(page)
        return page


def keep_found(page):
    """``find`` redirects to ``page`` (one of prism_news's): the redirect is kept in the
    response cache until the page or one of its ancestors (their slugs make its path) is
    republished, moved, hidden or gone, or the page expires. A path that finds nothing
    (404), or a host page (whose changes prism_news does not follow), is not kept."""
    ancestors = Page.objects.ancestor_of(page, inclusive=True).values_list("pk", flat=True)
    depends_on("settings", *(page_tag(pk) for pk in ancestors))
    depends_on_pages([page])
    mark_cacheable(redirects=True)


class NewsImagesAPIViewSet(BoundedInputMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint with the same input bounds as the pages endpoint,
    listing only the images readers may already see on the request's site
    (``images.public_images``); any other image's detail is a 404."""

    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]

    base_serializer_class = NewsImageSerializer

    def get_queryset(self):
        queryset = super().get_queryset().select_related("collection").prefetch_related("tags")
        return public_images(queryset, Site.find_for_request(self.request))
