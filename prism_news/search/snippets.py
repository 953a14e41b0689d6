"""Search result snippets: a window of plain text around the first match."""

import html
import unicodedata

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from ..reading_time import stream_texts
from .analysis import base_language, matches, query_terms, tokens
from .backend import query_language

#: How far into a text a match is looked for, in characters: bounds the work of a
#: listing of results (each looks at its summary, then at most this much of its body).
SCAN_CHARS = 8_000
ELLIPSIS = "…"


def _spans(text, terms, language):
    spans = []
    for token in tokens(text, language, expand=True, limit=SCAN_CHARS):
        if any(matches(term, token.text) for term in terms):
            if spans and token.start < spans[-1][1]:  # a sub-unit inside a matched word
                spans[-1] = (spans[-1][0], max(spans[-1][1], token.end))
            else:
                spans.append((token.start, token.end))
    return sorted(spans)


def _window(text, first, length):
    start = max(0, first - length // 4)
    end = min(len(text), start + length)
    start = max(0, end - length)
    # Not in the middle of a word written with spaces.
    if start > 0:
        space = text.find(" ", start, start + 20)
        if space != -1:
            start = space + 1
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        if space > start:
            end = space
    return start, end


def _render(text, spans, length):
    start, end = _window(text, spans[0][0] if spans else 0, length)
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end or span_start < position:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return mark_safe("".join(parts))  # noqa: S308 (every piece of the text is escaped)


def _prepared(text):
    # NFC, as the analyser reads it, so that its offsets are offsets into this text.
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def snippet(text, query, *, language=None, length=160):
    """About ``length`` characters of ``text`` around the first word ``query`` matches,
    HTML-escaped, the matched words in ``<mark>``, ``…`` where the text was cut.
    No match: the start of the text."""
    language = base_language(language or query_language())
    text = _prepared(text)
    spans = _spans(text, query_terms(query, language), language)
    return _render(text, spans, max(20, int(length)))


def found_snippet(text, query, *, language=None, length=160):
    """:func:`snippet` where ``query`` matches ``text``; None where it does not."""
    language = base_language(language or query_language())
    text = _prepared(text)
    spans = _spans(text, query_terms(query, language), language)
    return _render(text, spans, max(20, int(length))) if spans else None


def body_text(article):
    """The plain text of an article's body, as readers read it (rich text without its
    markup: no tags, no link or embed ids)."""
    return " ".join(html.unescape(strip_tags(text)) for text in stream_texts(article.body))


def article_snippet(article, query, language=None):
    """The snippet of an article result: from its summary if the query matches it,
    else from its body's text, else the summary's start."""
    language = language or getattr(getattr(article, "locale", None), "language_code", None)
    language = base_language(language)
    summary = article.summary or ""
    found = found_snippet(summary, query, language=language)
    if found is None:
        found = found_snippet(body_text(article), query, language=language)
    return found if found is not None else snippet(summary, query, language=language)
