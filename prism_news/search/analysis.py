"""Text analysis for search: the same tokens at index time and at query time.

Japanese (and any run of kanji or kana, in every language) goes through Sudachi:
split mode C words, each replaced by its ``normalized_form`` (附属 → 付属,
サーバ → サーバー, がんばる → 頑張る), with particles, auxiliary verbs and symbols
left out. The index also keeps each word's mode A sub-units after the words of
the value (半導体 → 半, 導体), so that a query for a part of a compound finds it
while phrases of whole words stay adjacent. Other words are NFKC-folded,
casefolded and stemmed with the Snowball stemmer of the text's language (English
for words in Latin script inside Japanese text). docs/search.md explains the
choices and what they cost.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from django.conf import settings
from sudachipy import Dictionary, SplitMode

#: The longest text analysed per indexed value, in characters (the rest is not
#: searchable): bounds the work of indexing a very long article.
MAX_VALUE_CHARS = 100_000
#: The longest query analysed, and its most terms: a longer query is cut.
MAX_QUERY_CHARS = 1_000
MAX_QUERY_TERMS = 32

# Runs of kanji and kana (with half-width katakana, the iteration marks and the
# long vowel mark), as written: Sudachi normalises widths itself and reports
# offsets into its input, which snippets need.
_CJK = (
    "\u3005-\u3007\u303b\u3041-\u3096\u3099-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)


def _mark_ranges():
    """A character class of Unicode's combining marks (Mn, Mc, Me): they belong to the
    word they are written in (the vowel signs and viramas of Devanagari or Tamil), where
    Python's ``\\w`` would cut it."""
    ranges, first, last = [], None, None
    for point in range(0x0300, 0x30000):
        if unicodedata.category(chr(point)).startswith("M"):
            if first is not None and point == last + 1:
                last = point
                continue
            if first is not None:
                ranges.append((first, last))
            first = last = point
    ranges.append((first, last))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_MARKS = _mark_ranges()
_PIECES = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>(?:(?![{_CJK}])(?:[^\W_]|[{_MARKS}]))+)")
_KATAKANA = re.compile(r"^[\u30a1-\u30fa\u30fc-\u30ff]+$")
_NOT_TOKEN = re.compile(rf"(?:(?![{_CJK}])(?![{_MARKS}])[\W_])+")
# Letters that take diacritics readers often leave out (café, Málaga, Việt): Latin,
# Greek and Cyrillic. SQLite's FTS5 tokenizer drops their diacritics; so does the
# analyser, on both databases, so that both find the same.
_STRIPPABLE = re.compile(r"^[\u0000-\u036f\u0370-\u03ff\u0400-\u04ff\u1e00-\u1fff]+$")
_LATIN = re.compile(r"^[0-9a-z\u00c0-\u024f\u1e00-\u1eff]+$")

# Parts of speech that carry no meaning of their own in a search.
_SKIPPED_POS = frozenset({"補助記号", "空白", "記号", "助詞", "助動詞"})
# Sudachi refuses an input over 49,149 bytes; runs are cut well below.
_RUN_CHARS = 4_000

#: ISO 639-1 codes of the languages Snowball stems.
SNOWBALL_LANGUAGES = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "eo": "esperanto",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nb": "norwegian",
    "no": "norwegian",
    "fa": "persian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# --- Sudachi and the stemmers, loaded once per process (the dictionary is a
# read-only memory map shared by threads; a tokenizer and a stemmer keep state,
# so each thread has its own).

_lock = threading.Lock()
_dictionary = None
_local = threading.local()


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        global _dictionary
        with _lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
        tokenizer = _local.tokenizer = _dictionary.tokenizer()
    return tokenizer


def _split_modes():
    return SplitMode.C, SplitMode.A


def _stemmer(language):
    algorithm = SNOWBALL_LANGUAGES.get(language)
    if algorithm is None:
        return None
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


def base_language(language):
    """``ja-JP``, ``ja_jp`` → ``ja``; None or empty → the site's default language."""
    if not language:
        language = settings.LANGUAGE_CODE
    return language.replace("_", "-").split("-")[0].lower()


# --- Tokens


@dataclass(frozen=True)
class Token:
    text: str  # the normalised token
    start: int  # where it was written, in the analysed text
    end: int
    extra: bool = False  # a mode A sub-unit of a word, not a word of its own


def _fold(text):
    text = _NOT_TOKEN.sub("", unicodedata.normalize("NFKC", text).casefold())
    decomposed = unicodedata.normalize("NFD", text)
    if _STRIPPABLE.match(decomposed):
        without = "".join(c for c in decomposed if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", without)
    # コンピューター = コンピュータ: a final long vowel mark is a spelling choice.
    if len(text) >= 4 and text.endswith("ー") and _KATAKANA.match(text):
        text = text.rstrip("ー")
    return text


def _word(text, language):
    token = _fold(text)
    if not token:
        return ""
    stemmer_language = language
    if language == "ja" or language not in SNOWBALL_LANGUAGES:
        # Latin words in Japanese text are English words (AI, Pax Silica); in a
        # language Snowball does not know, they stay as written.
        stemmer_language = "en" if language == "ja" else None
    if stemmer_language and (stemmer_language != "en" or _LATIN.match(token)):
        return _stemmer(stemmer_language).stemWord(token)
    return token


def _japanese(run, offset, expand):
    mode_c, mode_a = _split_modes()
    tokenizer = _tokenizer()
    for start in range(0, len(run), _RUN_CHARS):
        chunk = run[start : start + _RUN_CHARS]
        for morpheme in tokenizer.tokenize(chunk, mode_c):
            if morpheme.part_of_speech()[0] in _SKIPPED_POS:
                continue
            text = _fold(morpheme.normalized_form())
            if not text:
                continue
            begin, end = offset + start + morpheme.begin(), offset + start + morpheme.end()
            yield Token(text, begin, end)
            if expand:
                for unit in morpheme.split(mode_a):
                    unit_text = _fold(unit.normalized_form())
                    if unit_text and unit_text != text:
                        yield Token(
                            unit_text,
                            offset + start + unit.begin(),
                            offset + start + unit.end(),
                            extra=True,
                        )


def tokens(text, language, *, expand=False, limit=MAX_VALUE_CHARS):
    """The tokens of ``text`` in order, with where each was written; ``expand``
    adds the sub-units of Japanese compounds (for the index and snippets)."""
    language = base_language(language)
    # Composed, as NFC writes it: a decomposed é and a composed one are the same word.
    text = unicodedata.normalize("NFC", text[:limit])
    for match in _PIECES.finditer(text):
        if match.lastgroup == "cjk":
            yield from _japanese(match.group(), match.start(), expand)
        else:
            token = _word(match.group(), language)
            if token:
                yield Token(token, match.start(), match.end())


def analyse(text, language):
    """The tokens to index for ``text`` written in ``language``: its words in order,
    then the sub-units of its Japanese compounds (so phrases of words stay adjacent)."""
    words, extras = [], []
    for token in tokens(text or "", language, expand=True):
        (extras if token.extra else words).append(token.text)
    return words + extras


# --- Queries


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool  # matches any indexed token starting with it


def query_terms(query, language):
    """The terms of a query: its words, analysed as the index is, without
    duplicates. Katakana words match as prefixes (カザフ finds カザフスタン)."""
    terms = []
    seen = set()
    for token in tokens(query or "", language, limit=MAX_QUERY_CHARS):
        if token.text in seen:
            continue
        seen.add(token.text)
        prefix = len(token.text) >= 2 and bool(_KATAKANA.match(token.text))
        terms.append(Term(token.text, prefix))
        if len(terms) == MAX_QUERY_TERMS:
            break
    return terms


def matches(term, token_text):
    return token_text.startswith(term.text) if term.prefix else token_text == term.text
