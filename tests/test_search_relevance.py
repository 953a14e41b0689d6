"""Search finds what a reader looks for: the relevance set (benchmarks/search_relevance.json)
over the demo and a small generated corpus, through the public v2 API, in each language.

``make search-bench`` measures the same on PostgreSQL at 1k-100k articles, with speed.
"""

import os

from django.core.management import call_command

from benchmarks.search_corpus import build_search_corpus
from benchmarks.search_relevance import evaluate, failures, load_queries

RECALL = 0.95  # recall@10, the target
MRR = 0.8  # an expected article first, or nearly, for most queries


def build_module_data(request):
    """The demo, ~200 generated articles, and the search index built over all of them (the
    bulk inserts send no signals, and index updates run after a commit tests never make)."""
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
        build_search_corpus(volume=65)
        call_command("update_index", stdout=devnull, stderr=devnull)


def _measure(client, language):
    queries = [q for q in load_queries() if q["language"] == language]
    return evaluate(client, queries)[language]


def test_the_corpus_is_about_two_hundred_articles(module_data):
    from prism_news.models import ArticlePage

    assert 190 <= ArticlePage.objects.live().count() <= 230


def test_english_search_finds_the_expected_articles(module_data, client):
    result = _measure(client, "en")
    report = "\n".join(failures({"en": result}))
    assert len(result["queries"]) >= 20
    assert result["recall"] >= RECALL, report
    assert result["mrr"] >= MRR, report


def test_japanese_search_finds_the_expected_articles(module_data, client):
    result = _measure(client, "ja")
    report = "\n".join(failures({"ja": result}))
    assert len(result["queries"]) >= 35
    assert result["recall"] >= RECALL, report
    assert result["mrr"] >= MRR, report
