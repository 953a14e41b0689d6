"""The measures of the search benchmark and relevance test (benchmarks/search_relevance.py),
against values worked out by hand; and the relevance set against the corpus it is run on."""

import pytest

from benchmarks.archive import FILLER
from benchmarks.search_corpus import DISTRACTORS, TARGETS, corpus_texts
from benchmarks.search_relevance import (
    SECTION,
    load_queries,
    mean,
    mentions,
    recall_at,
    reciprocal_rank,
    replace_section,
)


def test_recall_at_k_counts_the_expected_among_the_first_k():
    ranked = ["a", "x", "b", "y", "c"]
    assert recall_at(10, ranked, ["a", "b", "c"]) == 1.0
    assert recall_at(2, ranked, ["a", "b", "c"]) == pytest.approx(1 / 3)
    assert recall_at(3, ranked, ["a", "b", "c", "d"]) == 0.5  # a, b of four
    assert recall_at(10, ranked, ["z"]) == 0.0
    assert recall_at(10, [], ["a"]) == 0.0
    assert recall_at(10, ["a", "a"], ["a", "b"]) == 0.5  # a repeat counts once
    with pytest.raises(ValueError):
        recall_at(10, ranked, [])


def test_reciprocal_rank_is_one_over_the_first_expected_rank():
    assert reciprocal_rank(["a", "b"], ["a"]) == 1.0
    assert reciprocal_rank(["x", "y", "b", "a"], ["a", "b"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "y"], ["a"]) == 0.0
    # MRR of three queries ranked 1st, 4th and not at all: (1 + 0.25 + 0) / 3
    ranks = [
        reciprocal_rank(["a"], ["a"]),
        reciprocal_rank(["w", "x", "y", "a"], ["a"]),
        reciprocal_rank(["w"], ["a"]),
    ]
    assert mean(ranks) == pytest.approx(1.25 / 3)
    assert mean([]) == 0.0


def test_mentions_folds_width_and_case_and_reads_english_word_starts():
    assert mentions("ＡＩ規制法案", "AI規制", "ja")
    assert mentions("ｶｻﾞﾌｽﾀﾝ", "カザフ", "ja")
    assert not mentions("カザフスタン", "サーバー", "ja")
    assert mentions("the alliance aims", "alliances", "en")
    assert mentions("Europe keeps sanctions", "Sanction", "en")
    assert not mentions("a reliance on", "alliances", "en")
    assert mentions("日銀が利上げ", "日銀 利上げ", "ja") and not mentions(
        "日銀", "日銀 利上げ", "ja"
    )


def test_the_relevance_set_is_what_the_issue_asks_for():
    queries = load_queries()
    ja = [q for q in queries if q["language"] == "ja"]
    assert len(queries) >= 60 and len(ja) >= 35
    assert len({q["id"] for q in queries}) == len(queries)
    asked = {q["query"] for q in queries}
    wanted = {"中国", "米国", "日銀", "カザフスタン", "トカエフ", "プーチン", "カザフ", "サーバー",
              "サーバ", "コンピューター", "コンピュータ", "ＡＩ分析", "ｶｻﾞﾌ", "AI分析",
              "半導体メーカー", "alliances", "sanctions", "elected"}  # fmt: skip
    assert wanted <= asked
    assert all(q["expected"] for q in queries)


def test_every_expected_article_exists_and_mentions_its_query():
    texts = corpus_texts()
    for query in load_queries():
        for slug in query["expected"]:
            text = texts[query["language"]].get(slug)
            assert text is not None, (query["id"], slug)
            assert mentions(text, query["query"], query["language"]), (query["id"], slug)


# Words the template articles and the archive's filler may mention, as news does: in the
# body only, so that the answers (with the word in their title) must outrank them.
COMMON = {"中国", "米国", "China"}


def test_filler_and_template_articles_mention_no_other_query():
    volume = corpus_texts(volume=300)
    pools = {
        language: [*words["titles"], *words["sentences"], words["summary"]]
        for language, words in FILLER.items()
    }
    for query in load_queries():
        language, asked = query["language"], query["query"]
        filler = [t for t in pools[language] if mentions(t, asked, language)]
        assert not filler, (query["id"], filler)
        if asked in COMMON:
            continue
        found = [
            slug
            for slug, text in volume[language].items()
            if slug.startswith("news-") and mentions(text, asked, language)
        ]
        assert not found, (query["id"], found[:5])


def test_distractors_mention_a_query_without_being_expected():
    texts = corpus_texts()
    expected = {(q["language"], s) for q in load_queries() for s in q["expected"]}
    for story in DISTRACTORS:
        slug = f"sc-{story['key']}"
        assert ("ja", slug) not in expected and ("en", slug) not in expected
        assert any(
            mentions(texts[q["language"]][slug], q["query"], q["language"]) for q in load_queries()
        ), slug
    assert {f"sc-{t['key']}" for t in TARGETS} <= {slug for _, slug in expected}


def test_the_section_replaces_only_its_own():
    other = "# Search\n\nIntro.\n\n## How it works\n\nText.\n"
    mine = f"{SECTION}\n\nFirst run.\n"
    once = replace_section(other, mine)
    assert once == other + "\n" + mine
    tail = "## Later section\n\nKept.\n"
    again = replace_section(once + "\n" + tail, f"{SECTION}\n\nSecond run.\n")
    assert again == other + "\n" + f"{SECTION}\n\nSecond run.\n" + "\n" + tail
    assert replace_section("", mine) == mine
