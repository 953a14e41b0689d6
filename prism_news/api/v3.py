"""Wagtail API v3, with prism_news's rules for prism_news's pages.

Wagtail 8's v3 API is one NinjaAPI (``wagtail.api.v3.api.api``) that the host's
apps share. :func:`install` (called from ``ready()``) hooks in through
django-ninja's public extension points (``add_decorator``, ``docs_decorator``,
``add_router``), and keeps to prism_news's own pages:

- the page reads anonymous callers make (listing, detail, find) never show a
  prism_news page that ``visible_q`` hides (Wagtail's public queryset shows expired
  pages and aliases of restricted ones). The host's pages are Wagtail's: a listing
  is Wagtail's queryset with only the hidden prism_news rows left out, a detail or
  find of a host page is Wagtail's own view;
- a request about prism_news pages (``type=prism_news.*``, or a detail or find that
  resolves to one) gets the public API's input rules: parameters checked by
  ``params`` (a 400 problem document naming the parameter), the search text
  reduced to words, the browser session hidden (``public.without_session``), and
  prism_news's locale-aware ``find``;
- everything else answers as Wagtail answers, unless the host turns on
  ``API_V3_CHECK_ALL_ENDPOINTS``: then every GET of every endpoint gets those input
  rules, and the OpenAPI document states their bounds.

API-token holders keep Wagtail's own views throughout.
"""

import json
from contextlib import suppress
from functools import cache, wraps

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page, Site

from ..conf import get_settings
from ..models import OWN_PAGE_TYPES, ArticlePage
from ..publication_dates import next_publication, only_listed
from ..search import search_articles
from ..visibility import hiders, visible_q
from . import params
from .images import public_images, without_hidden_prism_images
from .listing import total_count
from .public import per_request, public_pages, requested_site, route_path, without_session

APP_LABEL = "prism_news"
_installed = False


def limit_max():
    """The largest v3 ``limit``: API_LIMIT_MAX, within Wagtail's own WAGTAILAPI_LIMIT_MAX."""
    largest = get_settings()["API_LIMIT_MAX"]
    wagtail_largest = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    return largest if wagtail_largest is None else min(largest, wagtail_largest)


def checks_all_endpoints():
    return get_settings()["API_V3_CHECK_ALL_ENDPOINTS"]


def install():
    """Apply prism_news's read rules to Wagtail's v3 API (once, before its URLs)."""
    global _installed
    if _installed or not apps.is_installed("wagtail.api.v3"):
        return
    from wagtail.api.v3.api import api

    restore_locales_endpoint()
    api.add_decorator(check_reads, mode="view")
    api.add_decorator(serve_visible_pages, mode="operation")
    api.docs_decorator = document_bounds(api.docs_decorator)
    _installed = True


def restore_locales_endpoint():
    """Mount Wagtail's ``/locales/`` v3 router when wagtail-localize's locales app
    has replaced ``wagtail.locales`` (whose ``ready()`` normally mounts it)."""
    if not apps.is_installed("wagtail.api.v3") or apps.is_installed("wagtail.locales"):
        return
    from ninja.errors import ConfigError
    from wagtail.api.v3.api import api
    from wagtail.locales.api.v3 import router

    # django-ninja refuses to mount a router twice: a ConfigError here means the host
    # has mounted it itself.
    with suppress(ConfigError):
        api.add_router("/locales/", router)


# --- Which pages a request is about


def is_prism_page(page):
    return page is not None and page._meta.app_label == APP_LABEL


def _named_types(query):
    """The page models ``type`` names (``None`` if one of them is not a model)."""
    models = []
    for value in query.getlist("type"):
        try:
            models.append(resolve_model_string(value))
        except (LookupError, ValueError):
            return None
    return models


def _page_is_prism(page_id):
    if not str(page_id).isdecimal() or int(page_id) > params.LARGEST_ID:
        return False
    return Page.objects.filter(pk=page_id, content_type__app_label=APP_LABEL).exists()


def _find_target(request):
    """The prism_news page a ``find`` request is about, or ``None``: the page at
    ``html_path`` (in any locale) if there is one, else the page with ``id``."""

    query = request.GET
    html_path = query.get("html_path")
    if html_path:
        try:
            page = route_path(request, html_path, site=requested_site(request))
        except (params.ParameterError, ValueError):
            page = None
        if page is not None:
            return page if is_prism_page(page) else None
    if _page_is_prism(query.get("id", "")):
        return Page.objects.get(pk=query["id"])
    return None


def is_about_prism_pages(request, path_params):
    """Whether a v3 request is about prism_news pages (and so follows its rules)."""
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else None
    if url_name == "list_pages":
        models = _named_types(request.GET) or []
        return any(model._meta.app_label == APP_LABEL for model in models)
    if url_name == "detail_page":
        return _page_is_prism(path_params.get("page_id", ""))
    if url_name == "find_page":
        try:
            params.check_path(request.GET)
        except params.ParameterError:
            # prism_news's find decodes html_path (Wagtail's does not): what it would
            # decode to a NUL gets its 400, not a database error.
            return True
        return _find_target(request) is not None
    return False


# --- Input


def _page_model(query):
    types = query.getlist("type")
    if len(types) == 1:
        try:
            found = resolve_model_string(types[0])
        except (LookupError, ValueError):
            return Page  # ninja refuses the type itself
        if isinstance(found, type) and issubclass(found, Page):
            return found
    return Page


def _listing(url_name, query):
    """What a Wagtail v3 listing filters by field: ``(model, base fields, other
    parameter schemas)``, as the listing itself hands them to APIFieldFilterSchema."""
    from wagtail.api.v3.schemas.params import OrderingSchema, SearchSchema

    if url_name == "list_pages":
        from wagtail.api.v3.routers.pages import PageFilterSchema
        from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS

        schemas = (PageFilterSchema, OrderingSchema, SearchSchema)
        return _page_model(query), BASE_PAGE_READ_FIELDS, schemas
    if url_name == "list_images":
        from wagtail.images import get_image_model
        from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS

        return get_image_model(), BASE_IMAGE_READ_FIELDS, (OrderingSchema, SearchSchema)
    if url_name == "list_documents":
        from wagtail.documents import get_document_model
        from wagtail.documents.api.v3.router import BASE_DOCUMENT_READ_FIELDS

        return get_document_model(), BASE_DOCUMENT_READ_FIELDS, (OrderingSchema, SearchSchema)
    if url_name == "list_redirects":
        from wagtail.contrib.redirects.api.v3.router import BASE_REDIRECT_READ_FIELDS
        from wagtail.contrib.redirects.models import Redirect

        return Redirect, BASE_REDIRECT_READ_FIELDS, (OrderingSchema,)
    return None


def _field_filters(url_name, query):
    """The parameters a Wagtail v3 listing filters by field, with their model."""
    from wagtail.api.validators import APIFieldValidator

    listing = _listing(url_name, query)
    if listing is None:
        return None, []
    model, base_fields, schemas = listing
    others = set().union(*(schema.model_fields.keys() for schema in schemas))
    names = APIFieldValidator(
        model=model,
        fields=sorted(set(query) - others),
        base_fields=list(base_fields),
        db_fields_only=True,
        skip_invalid=True,
    ).fields
    return model, names


def checked_query(request, path_params):
    """``request.GET`` checked by the public API's rules, with ``search`` as words.

    Raises ParameterError (a 400) or Http404 (an id in the path beyond 64 bits).
    """
    for value in path_params.values():
        if str(value).isdecimal() and int(value) > params.LARGEST_ID:
            raise Http404("No object with that id.")
    query = request.GET
    params.check_text(query)
    params.check_ids(query)
    params.check_window(query, smallest_limit=1, largest_limit=limit_max())
    params.check_search_operator(query)
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else None
    if url_name in ("list_pages", "find_page"):  # elsewhere "site" may be a field filter
        params.check_site(query)
    if url_name == "find_page":
        params.check_path(query)
    model, names = _field_filters(url_name, query)
    if model is not None:
        params.check_field_filters(model, query, names)
    if "search" in query:
        query = query.copy()
        words = params.search_words(query["search"])
        if words is None:  # nothing to search for: the unfiltered listing
            del query["search"]
        else:
            query["search"] = words
    return query


def check_reads(run):
    """View decorator: the public API's input rules and no session, for every GET about
    prism_news pages (for every GET with ``API_V3_CHECK_ALL_ENDPOINTS``)."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        from wagtail.api.v3.errors import problem_response

        if request.method not in ("GET", "HEAD"):
            return run(request, *args, **kwargs)
        if not (checks_all_endpoints() or is_about_prism_pages(request, kwargs)):
            return run(request, *args, **kwargs)  # the host's: as Wagtail answers it
        try:
            query = checked_query(request, kwargs)
        except params.ParameterError as error:
            return problem_response(
                status=400,
                detail=str(error),
                errors=[{"loc": ["query", error.name], "msg": error.expected}],
            )
        except Http404 as error:
            return problem_response(status=404, detail=str(error))
        request.GET = query
        with without_session(request):
            return run(request, *args, **kwargs)

    return checked


# --- The public page reads


def serve_visible_pages(view_func):
    """Operation decorator: Wagtail's public page reads, without the prism_news pages
    ``visible_q`` hides; its public image reads, without the images only such pages
    use (see :func:`readable_images`)."""
    from wagtail.api.v3.routers import pages
    from wagtail.images.api.v3 import router as images

    guard = {
        pages.list_pages: list_pages,
        pages.get_page: get_page,
        pages.find_page: find_page,
        images.list_images: list_images,
        images.get_image: get_image,
    }.get(view_func)
    if guard is None:
        return view_func

    @wraps(view_func)
    def serve(request, *args, **kwargs):
        if request.user.is_authenticated:  # an API token: Wagtail's editor tier
            return view_func(request, *args, **kwargs)
        return guard(view_func, request, *args, **kwargs)

    return serve


class GuestView:
    """What v3 hides of prism_news's pages from anonymous callers, made once per request
    (:func:`guest_view`). The condition leaves out what cannot hide anything at the
    moment (``visibility.hiders``: no view restriction, no alias anywhere)."""

    def __init__(self):
        self.condition = visible_q(hiders())
        self.hidden = (
            Page.objects.filter(content_type__app_label=APP_LABEL)
            .exclude(self.condition)
            .values("pk")
        )
        self._pages = {}

    def pages(self, request, model, *, direct=False):
        """Wagtail's public pages of ``model`` without the hidden prism_news pages: as
        ``pk__in`` a subquery (which search backends can read), or with ``direct`` as a
        condition on the rows themselves, which lets a listing's walk stop after its
        page instead of first collecting every hidden page of the archive."""
        key = (model, direct)
        if key not in self._pages:
            from wagtail.api.v3.querysets import get_pages_queryset

            pages = get_pages_queryset(request, model)
            if not direct:
                pages = without_hidden_prism_pages(pages, self.hidden)
            elif issubclass(model, OWN_PAGE_TYPES):
                pages = pages.filter(self.condition)
            else:
                pages = pages.filter(~Q(content_type__app_label=APP_LABEL) | self.condition)
            self._pages[key] = pages
        return self._pages[key]


def build_guest_view(request):
    return GuestView()


def guest_view(request):
    """The request's :class:`GuestView`, made on first use."""
    return per_request(request, "guest", build_guest_view)


def without_hidden_prism_pages(queryset, hidden=None):
    """``queryset`` without the prism_news pages anonymous readers may not see; other
    pages untouched. As ``pk__in``, which search backends can read (not EXISTS)."""
    if hidden is None:
        hidden = Page.objects.filter(content_type__app_label=APP_LABEL).exclude(visible_q())
        hidden = hidden.values("pk")
    return queryset.exclude(pk__in=hidden)


def guest_pages(request, model=None, *, direct=False):
    """Wagtail's public v3 pages, without the prism_news pages readers may not see
    (the same queryset object for the whole request: clone it to change it; see
    :meth:`GuestView.pages` for ``direct``)."""
    return guest_view(request).pages(request, model or Page, direct=direct)


def _may_list_prism_pages(models):
    return not models or any(
        model is Page or model._meta.app_label == APP_LABEL for model in models
    )


def _relative_to(request, pages, value, name):
    from wagtail.api.v3.errors import as_validation_error

    if value == "root":
        site = Site.find_for_request(request)
        if site is not None:
            return site.root_page
    else:
        page = pages.filter(pk=value).first()
        if page is not None:
            return page
    error = LookupError(name)
    raise as_validation_error(error, f"No Page matches the given {name} value.", loc=(name,))


def _filter_relative(request, filters, queryset):
    """ancestor_of, child_of, descendant_of and translation_of, relative to the pages
    the listing may show, as Wagtail's ``PageFilterSchema`` does relative to its own."""
    relative = (filters.ancestor_of, filters.child_of, filters.descendant_of)
    if all(value in (None, "") for value in (*relative, filters.translation_of)):
        return queryset
    pages = guest_pages(request)
    if filters.ancestor_of is not None:
        queryset = queryset.ancestor_of(
            _relative_to(request, pages, filters.ancestor_of, "ancestor_of")
        )
    if filters.child_of:
        queryset = queryset.child_of(_relative_to(request, pages, filters.child_of, "child_of"))
    elif filters.descendant_of:
        queryset = queryset.descendant_of(
            _relative_to(request, pages, filters.descendant_of, "descendant_of")
        )
    if filters.translation_of is not None:
        queryset = queryset.translation_of(
            _relative_to(request, pages, filters.translation_of, "translation_of")
        )
    return queryset


def _only_prism_types(models):
    return bool(models) and all(model._meta.app_label == APP_LABEL for model in models)


@cache
def counted_pagination():
    """Wagtail's v3 pagination, with the total kept as v2 keeps it (``listing.total_count``)
    when ``counted``: a listing of prism_news's page types only, whose members change
    only with the changes that invalidate its count (the host's pages do not)."""
    from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

    class CountedPagination(WagtailLimitOffsetPagination):
        def __init__(self, request, *, counted, **kwargs):
            super().__init__(**kwargs)
            self.request, self.counted = request, counted

        def _items_count(self, queryset):
            if not self.counted:
                return super()._items_count(queryset)
            return total_count(self.request, queryset)

    return CountedPagination


def _search(request, search, queryset, filters):
    """Articles by prism_news.search (tiers, then newest first; every filter before
    combines with it); other pages by Wagtail's search."""
    if not search.search or not issubclass(queryset.model, ArticlePage):
        return search.search_queryset(request, queryset)
    return search_articles(
        queryset,
        search.search,
        language=getattr(filters, "locale", None),
        operator=search.search_operator or "and",
        ordered="order" not in request.GET,
    )


def list_pages(wagtails, request, filters, ordering, search, ninja_pagination=None, **kwargs):
    """Wagtail's listing when it cannot hold prism_news pages (``type`` names only other
    models); otherwise Wagtail's listing steps over :func:`guest_pages`."""
    from wagtail.api.v3.routers.pages import PageFilterSchema
    from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS
    from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema

    if not _may_list_prism_pages(filters.type):
        return wagtails(
            request,
            filters=filters,
            ordering=ordering,
            search=search,
            ninja_pagination=ninja_pagination,
            **kwargs,
        )
    paginator = counted_pagination()(request, counted=_only_prism_types(filters.type))
    pagination = ninja_pagination or paginator.Input()
    model = filters.type[0] if len(filters.type) == 1 else Page
    # Listed from its published_at on (readable at its URL before: prism_news.publication_dates).
    next_publication()
    # Hidden pages left out row by row, unless a search backend must read the set.
    queryset = only_listed(guest_pages(request, model, direct=not search.search))
    queryset = filters.filter(queryset)  # type and locale (without a request: no relatives)
    queryset = _filter_relative(request, filters, queryset)
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET,
        schemas=(PageFilterSchema, OrderingSchema, SearchSchema),
        base_fields=BASE_PAGE_READ_FIELDS,
    )
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination, base_fields=BASE_PAGE_READ_FIELDS)
    queryset = _search(request, search, queryset, filters)
    page = paginator.paginate_queryset(queryset, pagination=pagination, request=request)
    page[paginator.items_attribute] = list(page[paginator.items_attribute])
    return page


def get_page(wagtails, request, page_id, **kwargs):
    """Wagtail's detail; a prism_news page only if readers may see it, and without a
    parent they may not see (a draft section above a live article), as v2 leaves it out."""

    page = wagtails(request, page_id=page_id, **kwargs)
    if not is_prism_page(page):
        return page
    parent = page.get_parent()
    ids = [page.pk] if parent is None else [page.pk, parent.pk]
    visible = Page.objects.filter(guest_view(request).condition, pk__in=ids)
    visible = set(visible.values_list("pk", flat=True))
    if page.pk not in visible:
        raise Http404("No Page matches the given query.")
    if parent is not None and parent.pk not in visible:
        # Shadows the method on this one object, for this response only.
        page.get_parent = _no_parent
    return page


def _no_parent(update=False):
    return None


def find_page(wagtails, request, id=None, html_path=None, **kwargs):
    """Wagtail's find for the host's pages; for a prism_news page, the page at
    ``html_path`` in any locale (``/en/politics/x/``) if readers may see it."""
    target = _find_target(request)
    if target is None:
        return wagtails(request, id=id, html_path=html_path, **kwargs)
    visible = public_pages(request)
    page = None
    if html_path:
        page = route_path(request, html_path, site=requested_site(request))
        if page is not None and not visible.filter(pk=page.pk).exists():
            page = None
    if page is None and id:
        page = visible.filter(pk=id).first()
    if page is None:
        raise Http404("No Page matches the given query.")
    url = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    query = request.GET.copy()
    query.pop("id", None)
    query.pop("html_path", None)
    return redirect(f"{url}?{query.urlencode()}")


# --- The public image reads


def readable_images(request, queryset):
    """``queryset`` (of images) as v3 shows it to anonymous callers: without the images
    that only hidden prism_news pages use; with ``API_V3_CHECK_ALL_ENDPOINTS``, only
    those readers may see on the request's site, as v2 lists them (``images``)."""
    if checks_all_endpoints():
        return public_images(queryset, Site.find_for_request(request))
    return without_hidden_prism_images(queryset)


def list_images(wagtails, request, ordering, search, ninja_pagination=None, **kwargs):
    """Wagtail's image listing, over :func:`readable_images`."""
    from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
    from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
    from wagtail.images.api.v3.router import BASE_IMAGE_READ_FIELDS, get_images_queryset

    paginator = WagtailLimitOffsetPagination()
    pagination = ninja_pagination or paginator.Input()
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET,
        schemas=(OrderingSchema, SearchSchema),
        base_fields=BASE_IMAGE_READ_FIELDS,
    )
    # The collection too: the schema reads it for each image.
    queryset = readable_images(request, get_images_queryset(request).select_related("collection"))
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination, base_fields=BASE_IMAGE_READ_FIELDS)
    queryset = search.search_queryset(request, queryset)
    page = paginator.paginate_queryset(queryset, pagination=pagination, request=request)
    page[paginator.items_attribute] = list(page[paginator.items_attribute])
    return page


def get_image(wagtails, request, image_id, **kwargs):
    """Wagtail's image detail, for an image :func:`readable_images` keeps."""
    image = wagtails(request, image_id=image_id, **kwargs)
    if not readable_images(request, type(image).objects.filter(pk=image.pk)).exists():
        raise Http404("No Image matches the given query.")
    return image


# --- The OpenAPI document


def describe_bounds(schema):
    """Write the view decorator's bounds into the OpenAPI document ``schema``."""
    conf = get_settings()
    longest = conf["API_PARAMETER_MAX_LENGTH"]
    bounds = {"limit": limit_max(), "offset": conf["API_OFFSET_MAX"]}
    for path in schema.get("paths", {}).values():
        operation = path.get("get")
        if not operation:
            continue
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            node = parameter.setdefault("schema", {})
            if parameter["name"] in bounds:
                node["maximum"] = bounds[parameter["name"]]
            variants = [node, *node.get("anyOf", [])]
            variants += [variant["items"] for variant in variants if "items" in variant]
            for variant in variants:
                if variant.get("type") == "string":
                    variant["maxLength"] = longest
                elif variant.get("type") == "integer" and parameter["name"] in params.ID_PARAMETERS:
                    variant["maximum"] = params.LARGEST_ID
            if parameter["name"] == "search":
                parameter["description"] = (
                    "Words to search for. Anything but letters, digits and marks is "
                    "ignored; a value without words does not filter the listing."
                )
    return schema


#: Security schemes that only mean "no credentials needed": OpenAPI has no such scheme
#: type (a scheme of type ``http`` needs a ``scheme``), it says so with an empty
#: requirement ``{}`` among an operation's alternatives.
ANONYMOUS_SCHEMES = ("AllowAnonymous",)


def anonymous_as_empty_requirement(schema):
    """Wagtail's ``AllowAnonymous`` auth as OpenAPI says "anonymous allowed": no entry in
    ``components.securitySchemes`` (where it is ``{"type": "http"}`` without the
    ``scheme`` OpenAPI requires, which fails validation), and ``{}`` in place of its
    requirement in each operation's ``security``. Every other scheme stays as it is."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    named = [name for name in ANONYMOUS_SCHEMES if name in schemes]
    if not named:
        return schema
    for name in named:
        del schemes[name]
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "security" not in operation:
                continue
            requirements = []
            for requirement in operation["security"]:
                kept = {key: value for key, value in requirement.items() if key not in named}
                if kept or {} not in requirements:
                    requirements.append(kept)
            operation["security"] = requirements
    return schema


def document_bounds(decorate_docs):
    """Docs decorator: Wagtail's own (if any), then the OpenAPI JSON made valid
    (:func:`anonymous_as_empty_requirement`) and, with ``API_V3_CHECK_ALL_ENDPOINTS``,
    given the bounds (which it cannot say are "for prism_news pages only")."""

    def decorator(view):
        inner = decorate_docs(view) if decorate_docs else view

        @wraps(inner)
        def documented(request, *args, **kwargs):
            response = inner(request, *args, **kwargs)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("application/json"):
                return response
            schema = anonymous_as_empty_requirement(json.loads(response.content))
            if checks_all_endpoints():  # else the bounds hold for prism_news pages only
                schema = describe_bounds(schema)
            return JsonResponse(schema)

        return documented

    return decorator
