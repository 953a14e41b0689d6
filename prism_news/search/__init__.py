# STUB from branch s-page: replaced by branch s-core
"""Article search: a stand-in with the interface of branch s-core (Wagtail's backend search,
which finds English words; Japanese needs the analyser that s-core brings)."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe


def _words(query):
    kept = (
        char if unicodedata.category(char)[0] in "LNM" else " "
        for char in unicodedata.normalize("NFC", query or "")
    )
    return "".join(kept).split()


def search_articles(queryset, query: str, *, language: str | None = None, operator: str = "and"):
    """ArticlePage queryset (already filtered by caller) -> matching ones in relevance order
    (title > summary > body, then newest first). Sliceable, has .count()."""
    words = _words(query)
    if not words:
        return queryset.none()
    return queryset.search(" ".join(words), operator=operator)


def snippet(text: str, query: str, *, language: str | None = None, length: int = 160):
    """Escaped plain-text window around the first match, matched words in <mark>."""
    text = " ".join((text or "").split())
    words = sorted({w.casefold() for w in _words(query)}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - length // 3) if found else 0
    window = text[start : start + length]
    parts, position = [], 0
    for match in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)
