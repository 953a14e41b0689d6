"""The search relevance set and its measures: recall@k and mean reciprocal rank, asked of
the public v2 API the way a front end asks.

``benchmarks/search_relevance.json`` holds the queries, each with its language and the
slugs of the articles a search must find (in that language's locale). ``evaluate`` runs
them through ``/api/v2/pages/?type=prism_news.ArticlePage&search=...&locale=...`` with a
Django test client and returns, per language, recall@10, MRR and each query's ranks.
Used by ``benchmarks/search.py`` (``make search-bench``) and
``tests/test_search_relevance.py``.
"""

import json
import unicodedata
from pathlib import Path

RELEVANCE = Path(__file__).resolve().parent / "search_relevance.json"
LISTING = "/api/v2/pages/?type=prism_news.ArticlePage"
SECTION = "## Measured quality and speed"


def load_queries(path=RELEVANCE):
    return json.loads(Path(path).read_text())["queries"]


def recall_at(k, ranked, expected):
    """The share of ``expected`` found among the first ``k`` of ``ranked``."""
    expected = set(expected)
    if not expected:
        raise ValueError("a query needs at least one expected article")
    return len(expected & set(ranked[:k])) / len(expected)


def reciprocal_rank(ranked, expected):
    """1 / the rank (from 1) of the first expected article in ``ranked``; 0 if none."""
    expected = set(expected)
    for rank, found in enumerate(ranked, 1):
        if found in expected:
            return 1 / rank
    return 0.0


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def search_url(query, language, limit=10):
    from urllib.parse import urlencode

    return f"{LISTING}&{urlencode({'search': query, 'locale': language, 'limit': limit})}"


def article_slugs(language):
    """``{id: slug}`` of the live articles in ``language``."""
    from prism_news.models import ArticlePage

    return dict(
        ArticlePage.objects.live().filter(locale__language_code=language).values_list("pk", "slug")
    )


def evaluate(client, queries, *, k=10, skip_needs=()):
    """Run ``queries`` through the API; return ``{language: {"recall": ..., "mrr": ...,
    "queries": [...], "skipped": [...]}}``. A query whose ``needs`` is in ``skip_needs``
    is listed under "skipped" and not counted."""
    slugs = {language: article_slugs(language) for language in {q["language"] for q in queries}}
    by_language = {}
    for query in queries:
        language = query["language"]
        row = by_language.setdefault(language, {"queries": [], "skipped": []})
        if query.get("needs") in skip_needs:
            row["skipped"].append(query["id"])
            continue
        response = client.get(search_url(query["query"], language, limit=k))
        if response.status_code != 200:
            raise AssertionError(f"{query['id']} {query['query']!r}: {response.status_code}")
        ranked = [slugs[language].get(item["id"]) for item in response.json()["items"]]
        row["queries"].append(
            {
                "id": query["id"],
                "query": query["query"],
                "kind": query["kind"],
                "recall": recall_at(k, ranked, query["expected"]),
                "rr": reciprocal_rank(ranked, query["expected"]),
                "found": ranked,
                "missed": [s for s in query["expected"] if s not in ranked],
            }
        )
    for row in by_language.values():
        row["recall"] = mean(q["recall"] for q in row["queries"])
        row["mrr"] = mean(q["rr"] for q in row["queries"])
    return by_language


def failures(result):
    """One line per query that missed an expected article or ranked none first."""
    lines = []
    for language, row in sorted(result.items()):
        for q in row["queries"]:
            if q["recall"] < 1 or q["rr"] < 1:
                lines.append(
                    f"{q['id']} [{language}] {q['query']!r}: recall {q['recall']:.2f}, "
                    f"RR {q['rr']:.2f}, missed {q['missed']}, got {q['found'][:5]}"
                )
    return lines


# --- Checking the corpus against the set ---------------------------------------------


def _fold(text):
    return unicodedata.normalize("NFKC", text).casefold()


def mentions(text, query, language):
    """Whether ``text`` holds every word of ``query``, width and case folded: in Japanese
    anywhere, long-vowel marks aside; in English a short word whole, a longer one as the
    start of a word without its last three letters ('sanction' and 'sanctions' mention
    each other)."""
    text = _fold(text)
    words = _words(text)
    for word in _fold(query).replace("・", " ").split():
        if language != "en":  # long-vowel marks aside: サーバー and サーバ alike
            found = word.replace("ー", "") in text.replace("ー", "")
        elif len(word) <= 4:  # short words (AI, BOJ, yen) whole
            found = word in words
        else:  # longer ones by roughly what a stemmer keeps
            found = any(w.startswith(word[: max(4, len(word) - 3)]) for w in words)
        if not found:
            return False
    return True


def _words(text):
    return "".join(c if c.isalnum() else " " for c in text).split()


# --- The docs section ----------------------------------------------------------------


def replace_section(document, section):
    """``document`` with the part under ``SECTION`` (to the next ``## `` heading or the
    end) replaced by ``section`` (which starts with that heading); appended if absent."""
    section = section.rstrip("\n") + "\n"
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        head = document.rstrip("\n")
        return (head + "\n\n" if head else "") + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")
