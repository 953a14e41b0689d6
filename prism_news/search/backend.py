"""The search backend: modelsearch's database backends with prism_news's analysis.

A host opts in with::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "prism_news.search.backend"}}

:func:`SearchBackend` picks the class for the default database as modelsearch's
does: PostgreSQL and SQLite (FTS5) get the analysing subclasses below; any other
database gets modelsearch's own backend unchanged (``prism_news.W020`` says so).

Index time: every value of every indexed model is analysed in the object's
language (``locale.language_code``, else ``LANGUAGE_CODE``) and the tokens are
stored as words separated by spaces (PostgreSQL: a ``simple`` tsvector, nothing
stemmed twice). Query time: the query is analysed in :func:`query_language`.
Fields have weights by their boost within their model (title A; the other
fields B, C, D from the highest boost down), which ``tier_ids`` reads back.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, connections, router
from django.db.models import F, Func, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.utils import translation
from modelsearch.backends.database import SearchBackend as ModelsearchBackend
from modelsearch.conf import get_app_config
from modelsearch.index import RelatedFields, SearchField
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import (
    get_content_type_pk,
    get_descendants_content_types_pks,
    get_search_fields,
)

from .analysis import analyse, base_language, query_terms

#: The vendors this backend analyses for; others get modelsearch's backend.
SUPPORTED_VENDORS = ("postgresql", "sqlite")

_language = ContextVar("prism_news_search_language", default=None)


def _model(name):
    # modelsearch's models live in the app that installs them (wagtail.search).
    return get_app_config().get_model(name)


@contextmanager
def query_language_set(language):
    """Analyse the queries made inside the block as ``language`` (the API sets the
    locale it searches in); outside one, the active translation's language."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def query_language():
    return base_language(_language.get() or translation.get_language())


def object_language(obj):
    if getattr(obj, "locale_id", None) is not None:
        return base_language(obj.locale.language_code)
    return base_language(settings.LANGUAGE_CODE)


@cache
def field_weights(model):
    """{boost: weight letter} for the model's fields other than the title."""
    fields = get_search_fields(model.get_search_fields())
    boosts = sorted(
        {field.boost or 0 for field in fields if field.field_name != "title"}, reverse=True
    )
    return {boost: "BCD"[min(rank, 2)] for rank, boost in enumerate(boosts)}


def weight_of(model, field):
    if field.field_name == "title":
        return "A"
    return field_weights(model).get(field.boost or 0, "D")


# SQLite has no weights: the words of the fields of weight B and C are indexed a
# second time, each behind a private-use character the analysis never outputs,
# so that a MATCH can ask "in a field of weight B" (docs/search.md, Relevance).
SQLITE_TIER_MARKS = {"B": "\ue00b", "C": "\ue00c"}
# A term that is in no index: the query of a text without words.
NO_TERM = "\ue000"


def _fts5_text(terms, operator, mark=""):
    """FTS5 query text: tokens are letters and digits only, quoted all the same."""
    if not terms:
        return f'"{NO_TERM}"'
    joiner = " OR " if operator == "or" else " AND "
    return joiner.join(f'"{mark}{term.text}"' + ("*" if term.prefix else "") for term in terms)


def _tsquery_text(terms, operator, invert=False):
    if not terms:
        return f"'{NO_TERM}'"
    is_and = (operator != "or") != invert  # De Morgan, as modelsearch does
    joiner = " & " if is_and else " | "
    bang = "!" if invert else ""
    return joiner.join(f"{bang}'{term.text}'" + (":*" if term.prefix else "") for term in terms)


def _operator(query):
    return (getattr(query, "operator", None) or "and").lower()


# --- Indexing (both vendors)


class AnalysedIndexer:
    """Mixin for modelsearch's ObjectIndexer: values analysed in the object's language."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.language = object_language(obj)
        self._analysed = {}

    def analysed(self, value):
        if value not in self._analysed:
            self._analysed[value] = " ".join(analyse(value, self.language))
        return self._analysed[value]

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):  # recurses into this method for its fields
            yield from super().prepare_field(obj, field)
            return
        for prepared in super().prepare_field(obj, field):
            current, value = prepared[0], prepared[-1]
            if len(prepared) == 2:  # SQLite's indexer: no weights
                yield current, self.analysed(value)
                continue
            weight = weight_of(type(self.obj), current) if isinstance(current, SearchField) else "D"
            yield current, weight, self.analysed(value)


class AnalysedIndex:
    """Mixin for modelsearch's index classes: entries written with :attr:`indexer_class`."""

    indexer_class = None
    entry_fields = ("title", "autocomplete", "body", "title_norm")

    def add_items(self, model, objs):
        IndexEntry = _model("IndexEntry")

        if not model.get_search_fields():
            return
        content_type_id = get_content_type_pk(model)
        entries = {}
        for obj in objs:
            indexer = self.indexer_class(obj, self.backend)
            entries[indexer.id] = IndexEntry(
                content_type_id=content_type_id,
                object_id=indexer.id,
                title_norm=1.0,
                **self.entry_values(indexer),
            )
        if not entries:
            return
        IndexEntry._default_manager.using(self.write_connection.alias).bulk_create(
            entries.values(),
            update_conflicts=True,
            unique_fields=["content_type", "object_id"],
            update_fields=list(self.entry_fields),
        )
        self._refresh_title_norms()


# --- PostgreSQL


def _postgres():
    from modelsearch.backends.database.postgres import postgres

    return postgres


class TsFilter(Func):
    """ts_filter(vector, '{letter}'): the lexemes of one weight."""

    output_field = SearchVectorField()

    def __init__(self, vector, letter):
        if letter not in "ABCD":
            raise ValueError(letter)
        super().__init__(vector, template=f"ts_filter(%(expressions)s, '{{{letter.lower()}}}')")


class VectorConcat(Func):
    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchVectorField()


@cache
def postgres_classes():
    pg = _postgres()

    class PostgresIndexer(AnalysedIndexer, pg.ObjectIndexer):
        pass

    class PostgresIndex(AnalysedIndex, pg.PostgresIndex):
        indexer_class = PostgresIndexer
        entry_fields = (*AnalysedIndex.entry_fields, "title_text", "body_text")

        def entry_values(self, indexer):
            return {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
                "title_text": indexer.title_text,
                "body_text": indexer.body_text,
            }

    class Compiler:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.language = query_language()

        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, PlainText):
                terms = query_terms(query.query_string, self.language)
                if terms and self.LAST_TERM_IS_PREFIX:
                    terms[-1] = terms[-1].__class__(terms[-1].text, True)
                text = _tsquery_text(terms, _operator(query), invert)
                return SearchQuery(text, search_type="raw", config="simple")
            if isinstance(query, Phrase):
                terms = query_terms(query.query_string, self.language)
                text = " <-> ".join(f"'{term.text}'" for term in terms) or f"'{NO_TERM}'"
                if invert:
                    text = f"!({text})"
                return SearchQuery(text, search_type="raw", config="simple")
            return super().build_tsquery_content(query, config=config, invert=invert)

        def search(self, *args, **kwargs):
            if _has_no_terms(self.query, self.language):
                return self.queryset.none()
            return super().search(*args, **kwargs)

    class PostgresSearchQueryCompiler(Compiler, pg.PostgresSearchQueryCompiler):
        pass

    class PostgresAutocompleteQueryCompiler(Compiler, pg.PostgresAutocompleteQueryCompiler):
        pass

    class PostgresSearchBackend(pg.PostgresSearchBackend):
        query_compiler_class = PostgresSearchQueryCompiler
        autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
        index_class = PostgresIndex

        def __init__(self, params):
            super().__init__(params)
            # The tokens are analysed already: no stemming, no stop words.
            self.config = "simple"
            self.autocomplete_config = "simple"

        def tier_ids(self, model, terms, operator, tier):
            IndexEntry = _model("IndexEntry")

            query = SearchQuery(_tsquery_text(terms, operator), search_type="raw", config="simple")
            entries = IndexEntry._default_manager.filter(
                content_type_id__in=get_descendants_content_types_pks(model)
            )
            # Each test on a derived vector (ts_filter, title || body) is first narrowed by
            # one the GIN indexes on ``title`` and ``body`` answer, so no tier reads every
            # entry of the model: what matches the derived vector matches these.
            if tier == "A":
                entries = entries.filter(title=query)
            elif tier in "BC":
                entries = entries.filter(body=query)
                entries = entries.annotate(_tier=TsFilter(F("body"), tier)).filter(_tier=query)
            else:
                anywhere = SearchQuery(
                    _tsquery_text(terms, "or"), search_type="raw", config="simple"
                )
                entries = entries.filter(Q(title=anywhere) | Q(body=anywhere))
                entries = entries.annotate(_all=VectorConcat(F("title"), F("body"))).filter(
                    _all=query
                )
            return entries.values_list(Cast("object_id", IntegerField()), flat=True)

    return PostgresSearchBackend


# --- SQLite (FTS5)


class FTS5Text(Value):
    """A MATCH query text, passed as is (quoted tokens built by ``_fts5_text``)."""

    def as_sql(self, compiler, connection):
        return "%s", [self.value]


@cache
def sqlite_classes():
    from modelsearch.backends.database.sqlite import query as fts
    from modelsearch.backends.database.sqlite import sqlite

    class SQLiteIndexer(AnalysedIndexer, sqlite.ObjectIndexer):
        @property
        def body(self):
            words, marked = [], []
            for field in self.search_fields:
                for current, value in self.prepare_field(self.obj, field):
                    if not isinstance(current, SearchField) or current.field_name == "title":
                        continue
                    words.append(value)
                    mark = SQLITE_TIER_MARKS.get(weight_of(type(self.obj), current))
                    if mark:
                        marked.extend(mark + token for token in value.split())
            return " ".join([*words, *marked])

    class SQLiteIndex(AnalysedIndex, sqlite.SQLiteIndex):
        indexer_class = SQLiteIndexer

        def entry_values(self, indexer):
            return {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
            }

    class Compiler:
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.language = query_language()

        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                terms = query_terms(query.query_string, self.language)
                if terms and self.LAST_TERM_IS_PREFIX:
                    terms[-1] = terms[-1].__class__(terms[-1].text, True)
                text = _fts5_text(terms, _operator(query))
                return fts.SearchQueryExpression(FTS5Text(text))
            if isinstance(query, Phrase):
                terms = query_terms(query.query_string, self.language)
                words = " ".join(term.text for term in terms) or NO_TERM
                return fts.SearchQueryExpression(FTS5Text(f'"{words}"'))
            return super().build_search_query_content(query, config=config)

        def search(self, *args, **kwargs):
            if _has_no_terms(self.query, self.language):
                return self.queryset.none()
            return super().search(*args, **kwargs)

    class SQLiteSearchQueryCompiler(Compiler, sqlite.SQLiteSearchQueryCompiler):
        pass

    class SQLiteAutocompleteQueryCompiler(Compiler, sqlite.SQLiteAutocompleteQueryCompiler):
        pass

    class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
        query_compiler_class = SQLiteSearchQueryCompiler
        autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
        index_class = SQLiteIndex

        def tier_ids(self, model, terms, operator, tier):
            SQLiteFTSIndexEntry = _model("SQLiteFTSIndexEntry")

            columns = {"A": ["title"], "B": ["body"], "C": ["body"]}.get(tier, ["title", "body"])
            text = _fts5_text(terms, operator, SQLITE_TIER_MARKS.get(tier, ""))
            entries = SQLiteFTSIndexEntry.objects.filter(
                fts.MatchExpression(columns, FTS5Text(text)),
                index_entry__content_type_id__in=get_descendants_content_types_pks(model),
            )
            return entries.values_list(Cast("index_entry__object_id", IntegerField()), flat=True)

    return SQLiteSearchBackend


def _has_no_terms(query, language):
    if isinstance(query, PlainText | Phrase):
        return not query_terms(query.query_string, language)
    return False


def analysing_vendor():
    """The vendor of the database the index lives in, if this backend analyses for it."""
    IndexEntry = _model("IndexEntry")

    vendor = connections[router.db_for_write(IndexEntry)].vendor
    return vendor if vendor in SUPPORTED_VENDORS else None


def SearchBackend(params):  # noqa: N802 (modelsearch's factory name)
    """The backend for the default database, as modelsearch's ``SearchBackend`` picks."""
    if connection.vendor == "postgresql":
        return postgres_classes()(params)
    backend = ModelsearchBackend(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        return sqlite_classes()(params)
    return backend  # another database, or SQLite without FTS5: modelsearch's, unanalysed


def analyses(backend):
    """Whether ``backend`` is one of the analysing backends (it has ``tier_ids``)."""
    return hasattr(backend, "tier_ids")
