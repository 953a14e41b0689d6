"""Search result snippets: a window of plain text around the first match."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..reading_time import stream_texts
from .analysis import base_language, matches, query_terms, tokens
from .backend import query_language

#: How far into a text a match is looked for, in characters.
SCAN_CHARS = 20_000
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


def snippet(text, query, *, language=None, length=160):
    """About ``length`` characters of ``text`` around the first word ``query`` matches,
    HTML-escaped, the matched words in ``<mark>``, ``…`` where the text was cut.
    No match: the start of the text."""
    language = base_language(language or query_language())
    text = " ".join((text or "").split())
    length = max(20, int(length))
    spans = _spans(text, query_terms(query, language), language)
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


def article_snippet(article, query, language=None):
    """The snippet of an article result: from its summary if the query matches it,
    else from its body's text, else the summary's start."""
    language = language or getattr(getattr(article, "locale", None), "language_code", None)
    language = base_language(language)
    terms = query_terms(query, language)
    summary = article.summary or ""
    if _spans(summary, terms, language):
        return snippet(summary, query, language=language)
    body = " ".join(stream_texts(article.body))
    if _spans(body, terms, language):
        return snippet(body, query, language=language)
    return snippet(summary or body, query, language=language)
