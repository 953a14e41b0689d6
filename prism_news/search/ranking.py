"""Article search in the order a newsroom expects: which field matched, then newest first.

Tiers: 0 every term in the title, 1 in the summary, 2 in the tags, 3 anywhere else
(the body, or the terms spread over several fields). Within a tier, the newest
``published_at`` first, then the highest id. PostgreSQL reads the tiers from the
lexemes' weights (``ts_filter``), SQLite from FTS5 column filters and the marked
copies of the summary and tag words (``backend.SQLITE_TIER_MARKS``).
"""

from django.db.models import Case, F, IntegerField, Value, When
from wagtail.search.backends import get_search_backend

from .analysis import base_language, query_terms
from .backend import analyses, query_language, query_language_set

TIERS = ("A", "B", "C")


def search_articles(queryset, query, *, language=None, operator="and", ordered=True):
    """ArticlePage queryset (already filtered by caller) -> the matching ones in
    relevance order (tier, then newest first). Returns something sliceable and
    paginatable with ``.count()``.

    ``language``: the language to analyse ``query`` in (default: the active one).
    ``operator``: ``"and"`` (every word) or ``"or"`` (any word).
    ``ordered=False`` keeps the queryset's own order (the API's ``order``).
    """
    language = base_language(language or query_language())
    operator = "or" if (operator or "and").lower() == "or" else "and"
    backend = get_search_backend()
    if not analyses(backend):
        # The host's backend (Elasticsearch, another database): its own relevance. It
        # filters only on its FilterFields, so the caller's conditions (visibility,
        # filters) reach it as the ids they select, which every backend reads.
        within = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        if not ordered:
            within = within.order_by(*queryset.query.order_by)
        with query_language_set(language):
            return backend.search(query, within, operator=operator, order_by_relevance=ordered)
    terms = query_terms(query, language)
    if not terms:
        return queryset.none()
    model = queryset.model
    matched = queryset.filter(pk__in=backend.tier_ids(model, terms, operator, "all"))
    if not ordered:
        return matched
    tier = Case(
        *(
            When(pk__in=backend.tier_ids(model, terms, operator, letter), then=Value(rank))
            for rank, letter in enumerate(TIERS)
        ),
        default=Value(len(TIERS)),
        output_field=IntegerField(),
    )
    return matched.annotate(search_tier=tier).order_by(
        "search_tier", F("published_at").desc(nulls_last=True), "-pk"
    )
