"""Wagtail API v3 under prism_news's rules for the public read side.

Wagtail 8's v3 API is one NinjaAPI (``wagtail.api.v3.api.api``) that Wagtail's
apps add their routers to. :func:`install` (called from ``ready()``) hooks in
through django-ninja's own extension points, for every operation of that API:

- a *view* decorator, which runs before ninja reads the request, on every GET:
  query and path parameters are checked by ``params`` (a 400 problem document
  naming the parameter), the search text is reduced to words, and the browser
  session is hidden (``public.without_session``), so no session can widen what
  is shown and responses need no ``Vary: Cookie``;
- an *operation* decorator that swaps the body of Wagtail's three public page
  reads (listing, detail, find) for callers without an API token, so they serve
  the pages ``visible_q`` allows. Wagtail's public queryset shows expired and
  alias pages, and v3 offers no way to change it; these bodies are Wagtail's with
  that queryset (and prism_news's locale-aware ``find``). API-token holders keep
  Wagtail's own views;
- the docs decorator, so the OpenAPI document states the bounds the view
  decorator enforces (``limit``, ``offset`` and id maxima, the longest value).
"""

import json
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from ..conf import get_settings
from . import params
from .public import public_pages, requested_site, route_path, without_session

_installed = False


def limit_max():
    """The largest v3 ``limit``: API_LIMIT_MAX, within Wagtail's own WAGTAILAPI_LIMIT_MAX."""
    largest = get_settings()["API_LIMIT_MAX"]
    wagtail_largest = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    return largest if wagtail_largest is None else min(largest, wagtail_largest)


def install():
    """Apply prism_news's public read rules to Wagtail's v3 API (once, before its URLs)."""
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
    from wagtail.api.v3.api import api
    from wagtail.locales.api.v3 import router

    if any(mounted is router for _, mounted in api._routers):
        return
    api.add_router("/locales/", router)


# --- Input


def _page_model(query):
    from wagtail.coreutils import resolve_model_string
    from wagtail.models import Page

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
    """View decorator: the public API's input rules and no session, for every GET."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        from wagtail.api.v3.errors import problem_response

        if request.method not in ("GET", "HEAD"):
            return run(request, *args, **kwargs)
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
    """Operation decorator: Wagtail's public page reads, over ``visible_q`` pages."""
    from wagtail.api.v3.routers import pages

    replacement = {
        pages.list_pages: list_visible_pages,
        pages.get_page: get_visible_page,
        pages.find_page: find_visible_page,
    }.get(view_func)
    if replacement is None:
        return view_func

    @wraps(view_func)
    def serve(request, *args, **kwargs):
        if request.user.is_authenticated:  # an API token: Wagtail's editor tier
            return view_func(request, *args, **kwargs)
        return replacement(request, *args, **kwargs)

    return serve


def _visible(request, model=None):
    try:
        queryset = public_pages(request, model)
    except params.ParameterError as error:  # checked already; kept for direct calls
        from ninja.errors import HttpError

        raise HttpError(400, str(error)) from error
    return queryset.select_related("content_type", "locale").order_by("pk")


def _relative_to(request, visible, value, name):
    from wagtail.api.v3.errors import as_validation_error
    from wagtail.models import Site

    if value == "root":
        site = Site.find_for_request(request)
        if site is not None:
            return site.root_page
    else:
        page = visible.filter(pk=value).first()
        if page is not None:
            return page
    error = LookupError(name)
    raise as_validation_error(error, f"No Page matches the given {name} value.", loc=(name,))


def _filter_relative(request, filters, queryset):
    """ancestor_of, child_of, descendant_of and translation_of, relative to visible pages."""
    visible = _visible(request)
    if filters.ancestor_of is not None:
        queryset = queryset.ancestor_of(
            _relative_to(request, visible, filters.ancestor_of, "ancestor_of")
        )
    if filters.child_of:
        queryset = queryset.child_of(_relative_to(request, visible, filters.child_of, "child_of"))
    elif filters.descendant_of:
        queryset = queryset.descendant_of(
            _relative_to(request, visible, filters.descendant_of, "descendant_of")
        )
    if filters.translation_of is not None:
        queryset = queryset.translation_of(
            _relative_to(request, visible, filters.translation_of, "translation_of")
        )
    return queryset


def list_visible_pages(request, filters, ordering, search, ninja_pagination=None, **kwargs):
    from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
    from wagtail.api.v3.routers.pages import PageFilterSchema
    from wagtail.api.v3.schemas.pages import BASE_PAGE_READ_FIELDS
    from wagtail.api.v3.schemas.params import APIFieldFilterSchema, OrderingSchema, SearchSchema
    from wagtail.models import Page

    paginator = WagtailLimitOffsetPagination()
    pagination = ninja_pagination or paginator.Input()
    model = filters.type[0] if len(filters.type) == 1 else Page
    queryset = _visible(request, model)
    queryset = filters.filter(queryset)  # type and locale (without a request: no relatives)
    queryset = _filter_relative(request, filters, queryset)
    field_filter = APIFieldFilterSchema.with_exclude_schemas(
        raw_params=request.GET,
        schemas=(PageFilterSchema, OrderingSchema, SearchSchema),
        base_fields=BASE_PAGE_READ_FIELDS,
    )
    queryset = field_filter.filter_queryset(queryset)
    queryset = ordering.order_queryset(queryset, pagination, base_fields=BASE_PAGE_READ_FIELDS)
    queryset = search.search_queryset(request, queryset)
    page = paginator.paginate_queryset(queryset, pagination=pagination, request=request)
    page[paginator.items_attribute] = list(page[paginator.items_attribute])
    return page


def get_visible_page(request, page_id, **kwargs):
    visible = _visible(request)
    page = visible.filter(pk=page_id).first()
    if page is None:
        raise Http404("No Page matches the given query.")
    page = page.specific
    # meta.parent comes from get_parent(): a parent readers may not see (a draft
    # section above a live article) is left out, as v2 leaves it out.
    parent = page.get_parent()
    if parent is not None and not visible.filter(pk=parent.pk).exists():
        page._cached_parent_obj = None
    return page


def find_visible_page(request, id=None, html_path=None, **kwargs):
    visible = _visible(request)
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


def document_bounds(decorate_docs):
    """Docs decorator: Wagtail's own (if any), then the bounds in the OpenAPI JSON."""

    def decorator(view):
        inner = decorate_docs(view) if decorate_docs else view

        @wraps(inner)
        def documented(request, *args, **kwargs):
            response = inner(request, *args, **kwargs)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("application/json"):
                return response
            return JsonResponse(describe_bounds(json.loads(response.content)))

        return documented

    return decorator
