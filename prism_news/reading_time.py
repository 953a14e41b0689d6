"""Reading time, counted per script.

Japanese and Chinese text has no spaces between words, so it is counted in
characters; everything else is counted in words. An article that mixes the two
(a Japanese story quoting "Pax Silica") pays for each part at its own speed.
"""

import math
import re

from django.utils.html import strip_tags
from django.utils.translation import ngettext, override

from .conf import get_settings

# Han ideographs (with extension A and compatibility forms), kana, half-width
# katakana and the iteration marks. Hangul is left out on purpose: Korean puts
# spaces between words, so it is counted by words.
_CJK = (
    "\u3005\u3007\u303b"  # 々 〇 〻
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def count_text(text):
    """Return ``(cjk_characters, words)`` in plain or HTML text."""
    text = strip_tags(text or "")
    characters = len(_CJK_CHAR.findall(text))
    words = len(_WORD.findall(_CJK_CHAR.sub(" ", text)))
    return characters, words


def characters_per_minute(language_code):
    conf = get_settings()
    speeds = conf["READING_CHARACTERS_PER_MINUTE"]
    code = (language_code or "").lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in speeds:
            return speeds[candidate]
    return conf["READING_CHARACTERS_PER_MINUTE_DEFAULT"]


def reading_minutes(texts, language_code):
    """Minutes to read ``texts`` (an iterable of strings), rounded up, at least 1."""
    characters = words = 0
    for text in texts:
        c, w = count_text(text)
        characters += c
        words += w
    minutes = (
        characters / characters_per_minute(language_code)
        + words / get_settings()["READING_WORDS_PER_MINUTE"]
    )
    return max(1, math.ceil(minutes))


def stream_texts(stream_value):
    """The readable text of a StreamField value, block by block.

    Blocks say what counts through a ``reading_texts(value)`` method; blocks
    without one (images, embeds) add nothing.
    """
    for child in stream_value or ():
        reading_texts = getattr(child.block, "reading_texts", None)
        if reading_texts is not None:
            yield from reading_texts(child.value)


def reading_time_label(minutes, language_code):
    """'3 min read' in the given language."""
    with override(language_code):
        return ngettext("%(minutes)d min read", "%(minutes)d min read", minutes) % {
            "minutes": minutes
        }
