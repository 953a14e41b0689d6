"""Query parameter checks and the article filters of the pages endpoint.

Every problem is a BadRequestError (400) naming the parameter and what it expects.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.utils import BadRequestError

from ..conf import get_settings
from ..provenance import AIInvolvement

#: Article filters; any of them narrows the listing to articles.
ARTICLE_FILTERS = (
    "category",
    "tag",
    "ai_involvement",
    "publisher",
    "published_after",
    "published_before",
)

# Parameters that end up as integers in SQL; a value beyond 64 bits would be an
# overflow error in the database, not a 400.
INTEGER_PARAMETERS = (
    "id",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
    "category",
)
LARGEST_ID = 2**63 - 1


def check_parameters(query):
    conf = get_settings()
    longest = conf["API_PARAMETER_MAX_LENGTH"]
    for name, values in query.lists():
        for value in values:
            if "\x00" in name or "\x00" in value:
                shown = name.replace("\x00", "\\0")
                raise BadRequestError(f"{shown}: NUL characters are not allowed")
            if len(value) > longest:
                raise BadRequestError(f"{name}: the value is longer than {longest} characters")
    for name in INTEGER_PARAMETERS:
        value = query.get(name)
        if value and value.isdigit() and int(value) > LARGEST_ID:
            raise BadRequestError(f"{name}: expected an id no larger than {LARGEST_ID}")
    for name, largest in (("offset", conf["API_OFFSET_MAX"]), ("limit", conf["API_LIMIT_MAX"])):
        value = query.get(name)
        if value is None:
            continue
        if not value.isdigit():
            raise BadRequestError(f"{name}: expected a whole number from 0 to {largest}")
        if int(value) > largest:
            raise BadRequestError(f"{name}: expected a whole number from 0 to {largest}")


def _moment(name, value, end_of_day):
    problem = BadRequestError(f"{name}: expected an ISO 8601 date or date-time, e.g. 2026-01-31")
    if "T" in value or " " in value:
        try:
            moment = parse_datetime(value)
        except ValueError as error:  # well-formed but impossible, e.g. hour 25
            raise problem from error
        if moment is None:
            raise problem
    else:
        try:
            day = parse_date(value)
        except ValueError as error:
            raise problem from error
        if day is None:
            raise problem
        if end_of_day:
            day += datetime.timedelta(days=1)
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _category_q(value):
    from ..models import CategoryIndexPage

    if value.isdigit():
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
        from ..models import ArticlePage, ArticlePageTag, ArticleSource

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
        if "published_after" in query:
            after = _moment("published_after", query["published_after"], end_of_day=False)
            queryset = queryset.filter(published_at__gte=after)
        if "published_before" in query:
            value = query["published_before"]
            before = _moment("published_before", value, end_of_day=True)
            if "T" in value or " " in value:
                queryset = queryset.filter(published_at__lte=before)
            else:
                queryset = queryset.filter(published_at__lt=before)
        return queryset
