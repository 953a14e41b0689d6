"""The v2 filter backends of the pages endpoint: article filters and search.

Values are checked by ``params``; every problem is a BadRequestError (400)
naming the parameter and what it expects.
"""

from django.conf import settings
from django.db.models import Q
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.utils import BadRequestError
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from ..ai_involvement import AIInvolvement
from ..models import ArticlePage, ArticlePageTag, ArticleSource, CategoryIndexPage
from ..search import search_articles
from . import params

#: Article filters; any of them narrows the listing to articles.
ARTICLE_FILTERS = (
    "category",
    "tag",
    "ai_involvement",
    "publisher",
    "published_after",
    "published_before",
)


def _category_q(value):
    if value.isdecimal() and value.isascii():
        categories = CategoryIndexPage.objects.filter(pk=int(value))
    else:
        categories = CategoryIndexPage.objects.filter(slug=value)
    paths = list(categories.values_list("path", "depth"))
    if not paths:
        raise BadRequestError(f"category: no category with the id or slug {value!r}")
    q = Q()
    for path, depth in paths:
        q |= Q(path__startswith=path, depth=depth + 1)
    return q


class ArticleFilter(BaseFilterBackend):
    """category (id or slug), tag (repeatable, any of), ai_involvement, publisher,
    published_after / published_before (ISO dates, both inclusive)."""

    def filter_queryset(self, request, queryset, view):
        query = request.GET
        if not any(name in query for name in ARTICLE_FILTERS):
            return queryset
        if not issubclass(queryset.model, ArticlePage):
            raise BadRequestError(
                "article filters ("
                + ", ".join(ARTICLE_FILTERS)
                + ") need type=prism_news.ArticlePage"
            )
        if "category" in query:
            queryset = queryset.filter(_category_q(query["category"]))
        tags = [tag for tag in query.getlist("tag") if tag]
        if tags:
            tagged = ArticlePageTag.objects.filter(
                Q(tag__name__in=tags) | Q(tag__slug__in=tags)
            ).values("content_object_id")
            queryset = queryset.filter(pk__in=tagged)
        if "ai_involvement" in query:
            value = query["ai_involvement"]
            if value not in AIInvolvement.values:
                raise BadRequestError(
                    "ai_involvement: expected one of " + ", ".join(AIInvolvement.values)
                )
            queryset = queryset.filter(ai_involvement=value)
        if "publisher" in query:
            publisher = query["publisher"]
            sources = ArticleSource.objects.filter(publisher__iexact=publisher).values("page_id")
            queryset = queryset.filter(pk__in=sources)
        return self.filter_dates(query, queryset)

    @staticmethod
    def filter_dates(query, queryset):
        # A bound beyond the calendar is no bound on its own side and excludes
        # everything on the other: published_before=9999-12-31 is every article.
        try:
            if "published_after" in query:
                after = params.moment("published_after", query["published_after"])
                if after == params.LATEST:
                    return queryset.none()
                if after != params.EARLIEST:
                    queryset = queryset.filter(published_at__gte=after)
            if "published_before" in query:
                value = query["published_before"]
                before = params.moment("published_before", value, end_of_day=True)
                if before == params.EARLIEST:
                    return queryset.none()
                if before != params.LATEST:
                    if "T" in value or " " in value:
                        queryset = queryset.filter(published_at__lte=before)
                    else:  # the whole day: before the start of the next
                        queryset = queryset.filter(published_at__lt=before)
        except params.ParameterError as error:
            raise BadRequestError(str(error)) from error
        return queryset


def search_language(request):
    """The language a query is analysed in: the ``locale`` asked for, else the
    active language (prism_news.search analyses CJK and Latin words alike in both)."""
    return request.GET.get("locale") or None


class SearchFilter(BaseFilterBackend):
    """Wagtail's ``search`` and ``search_operator``, with the query taken as words.

    A query without words (empty, spaces, punctuation only) searches for
    nothing: the listing comes unfiltered, in its usual order.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search: search is disabled")
        words = params.search_words(request.GET["search"])
        if words is None:
            return queryset
        operator = request.GET.get("search_operator")
        ordered = "order" not in request.GET
        if issubclass(queryset.model, ArticlePage):
            # Tiers (title, summary, tags, body), then newest first; every filter
            # before this one, Wagtail's ``tags`` too, is a plain queryset filter.
            return search_articles(
                queryset,
                words,
                language=search_language(request),
                operator=operator or "and",
                ordered=ordered,
            )
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("search: cannot be combined with a filter by tags")
        try:
            return get_search_backend().search(
                words,
                queryset,
                operator=operator,
                order_by_relevance=ordered,
            )
        except FilterFieldError as error:
            raise BadRequestError(
                f"{error.field_name}: cannot filter by this field while searching"
            ) from error
        except OrderByFieldError as error:
            raise BadRequestError(
                f"order: cannot order by {error.field_name!r} while searching"
            ) from error
