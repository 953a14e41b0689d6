"""The rules for the query parameters of the public API, v2 and v3 alike.

Every check raises :class:`ParameterError`, which names the parameter and what it
expects; v2 answers it with a 400 ``{"message": ...}``, v3 with a 400 problem
document. Nothing reaches SQL or the search backend before passing here: ids and
numbers fit in 64 bits, dates fit in Python's calendar in UTC, and search text is
reduced to words (see :func:`search_words`).
"""

import datetime
import re
import unicodedata
from urllib.parse import unquote

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ..conf import get_settings

#: The largest id (and any other integer) a parameter may carry: a 64-bit signed integer.
LARGEST_ID = 2**63 - 1

#: Parameters that name a page (or object) by id on every endpoint.
ID_PARAMETERS = ("id", "child_of", "ancestor_of", "descendant_of", "translation_of", "category")

_WHOLE_NUMBER = re.compile(r"[0-9]+\Z")
_INTEGER = re.compile(r"-?[0-9]+\Z")
_SITE = re.compile(r"[^\s:/]+(:[0-9]{1,5})?\Z")

DATE_EXPECTED = "expected an ISO 8601 date or date-time, e.g. 2026-01-31"


class ParameterError(ValueError):
    """A query parameter that is not acceptable; ``str()`` is the message for the client."""

    def __init__(self, name, expected):
        self.name = name
        self.expected = expected
        super().__init__(f"{name}: {expected}")


def check_text(query):
    """No NUL characters or lone surrogates in names or values, no value longer than
    API_PARAMETER_MAX_LENGTH."""
    longest = get_settings()["API_PARAMETER_MAX_LENGTH"]
    for name, values in query.lists():
        shown = name.replace("\x00", "\\0").encode("utf-8", "backslashreplace").decode()
        problem = _refused_character(name)
        if problem:
            raise ParameterError(shown[:40], problem)
        if len(name) > longest:
            raise ParameterError(shown[:40], f"names are at most {longest} characters long")
        for value in values:
            problem = _refused_character(value)
            if problem:
                raise ParameterError(shown, problem)
            if len(value) > longest:
                raise ParameterError(shown, f"the value is longer than {longest} characters")


def _refused_character(text):
    """What makes decoded text unfit for the database, or ``None``."""
    if "\x00" in text:
        return "NUL characters are not allowed"
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return "lone surrogates are not allowed"
    return None


def path_components(name, value):
    """The components of the URL path ``value``, each percent-decoded once.

    Paths come as a browser shows them ("/政治/") or percent-encoded ("/%E6%94%BF/"),
    so they are decoded here, after ``check_text`` saw the raw value: the decoded
    components are checked again (``%2500`` is a NUL once decoded; PostgreSQL
    refuses it in a query), and percent-encoded bytes must be UTF-8.
    """
    components = []
    for part in value.split("/"):
        if not part:
            continue
        try:
            decoded = unquote(part, errors="strict")
        except UnicodeDecodeError as error:
            raise ParameterError(name, "percent-encoded bytes must be UTF-8") from error
        problem = _refused_character(decoded)
        if problem:
            raise ParameterError(name, f"{problem} (after percent-decoding)")
        components.append(decoded)
    return components


def check_path(query, name="html_path"):
    """``html_path``, once decoded, is fit to look up (see :func:`path_components`)."""
    if name in query:
        path_components(name, query[name])


def check_ids(query, names=ID_PARAMETERS):
    """Ids given as digits (of any script: int() reads them all) fit in 64 bits; other
    spellings are the filters' business."""
    for name in names:
        value = query.get(name)
        if value and value.isdecimal() and int(value) > LARGEST_ID:
            raise ParameterError(name, f"expected an id no larger than {LARGEST_ID}")


def whole_number(name, value, smallest, largest):
    if not _WHOLE_NUMBER.match(value) or not smallest <= int(value) <= largest:
        raise ParameterError(name, f"expected a whole number from {smallest} to {largest}")
    return int(value)


def check_window(query, *, smallest_limit=0, largest_limit=None):
    """``limit`` and ``offset`` within API_LIMIT_MAX and API_OFFSET_MAX."""
    conf = get_settings()
    largest_limit = conf["API_LIMIT_MAX"] if largest_limit is None else largest_limit
    if "offset" in query:
        whole_number("offset", query["offset"], 0, conf["API_OFFSET_MAX"])
    if "limit" in query:
        whole_number("limit", query["limit"], smallest_limit, largest_limit)


def check_site(query):
    """``site`` is a hostname, optionally with a port: ``example.com`` or ``localhost:8000``."""
    value = query.get("site")
    if value is None or value == "":
        return
    found = _SITE.match(value)
    if not found or (found.group(1) and not 0 < int(found.group(1)[1:]) <= 65535):
        raise ParameterError(
            "site", "expected a hostname, optionally with a port: example.com:8000"
        )


def search_words(text):
    """The words of a search query, as one string, or ``None`` if it has none.

    A query is what a reader typed, never syntax: punctuation, quotes and operators
    such as ``"``, ``*``, ``-`` or ``OR`` mean nothing special. Only runs of letters,
    digits and marks are kept; the backend then quotes each word as a term (SQLite's
    FTS5 and PostgreSQL's tsquery alike), and words are what both index anyway.
    """
    kept = (
        char if unicodedata.category(char)[0] in "LNM" else " "
        for char in unicodedata.normalize("NFC", text)
    )
    return " ".join("".join(kept).split()) or None


def check_search_operator(query):
    value = query.get("search_operator")
    if value is not None and value.lower() not in ("and", "or"):
        raise ParameterError("search_operator", "expected 'and' or 'or'")


#: What :func:`moment` returns for a moment before, or after, every date-time that a
#: database can hold (in UTC): ``0001-01-01T00:00+14:00``, the day after ``9999-12-31``.
EARLIEST = "earliest"
LATEST = "latest"


def moment(name, value, *, end_of_day=False):
    """``value`` as an aware date-time; a date is the start of that day (or of the next).

    A well-formed moment outside the range gives :data:`EARLIEST` or :data:`LATEST`:
    the caller decides what that means for its filter.
    """
    problem = ParameterError(name, DATE_EXPECTED)
    if "T" in value or " " in value:
        try:
            found = parse_datetime(value)
        except ValueError as error:  # well-formed but impossible, e.g. hour 25
            raise problem from error
        if found is None:
            raise problem
    else:
        try:
            day = parse_date(value)
        except ValueError as error:
            raise problem from error
        if day is None:
            raise problem
        if end_of_day:
            if day == datetime.date.max:
                return LATEST
            day += datetime.timedelta(days=1)
        found = datetime.datetime.combine(day, datetime.time.min)
    side = EARLIEST if found.year < 5000 else LATEST
    try:
        if timezone.is_naive(found):
            found = timezone.make_aware(found)
        # Databases store UTC: a moment that does not fit there is out of range.
        found.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return side
    return found


def _check_field_value(name, field, value):
    while isinstance(field, models.ForeignKey):  # to a page: through its page_ptr to the id
        field = field.target_field
    if isinstance(field, models.BooleanField):
        if value not in ("true", "false", "1", "0"):
            raise ParameterError(name, "expected true or false")
    elif isinstance(field, models.IntegerField | models.AutoField):
        if not _INTEGER.match(value) or abs(int(value)) > LARGEST_ID:
            raise ParameterError(
                name, f"expected a whole number from -{LARGEST_ID} to {LARGEST_ID}"
            )
    elif isinstance(field, models.DateTimeField | models.DateField):
        # An exact moment outside the calendar can match nothing: say so.
        if moment(name, value) in (EARLIEST, LATEST):
            raise ParameterError(name, "expected a moment between 0001-01-01 and 9999-12-31 in UTC")
    elif field.get_internal_type() == "JSONField":  # StreamField too
        raise ParameterError(name, "cannot filter by this field")


def check_field_filters(model, query, names):
    """Values of the field filters among ``names`` suit their model field's type.

    ``names`` are the parameters the endpoint treats as field filters (those that
    name a database field of ``model`` through its API fields).
    """
    for name in names:
        if name not in query:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a name Wagtail resolves itself
            continue
        for value in query.getlist(name):
            _check_field_value(name, field, value)
