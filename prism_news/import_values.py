"""What a line of an import may hold, checked before anything reads its values.

The JSON decoder builds no number a program could choke on (huge integers, NaN,
infinities); every string must be valid Unicode without NUL, which PostgreSQL cannot
store; nesting is bounded; and a body block must have the shape the editor's form
gives it (text where the block takes text, an id where it takes an image), within the
size limits of ``PRISM_NEWS`` (``IMPORT_TEXT_MAX_LENGTH``, ``IMPORT_BODY_MAX_LENGTH``).
Each problem is a :class:`LineError` naming the field, as ``body[2].value.items[0]``.
"""

import json
import re

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .conf import get_settings

#: Longer integers than this are no id, count or level of anything the importer reads.
MAX_DIGITS = 19
#: Deeper than any body block's shape (a stream in a struct in a list is 6).
MAX_DEPTH = 16
#: The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1
SURROGATE = re.compile("[\ud800-\udfff]")
SHOWN_LENGTH = 60


class LineError(Exception):
    """A problem with one line: ``field`` names where, ``message`` what."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Refused:
    """A number the decoder would not build, with the reason; reported with its field."""

    def __init__(self, reason):
        self.reason = reason


def shown(value):
    """``value`` for a message: quoted, escaped and cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _integer(digits):
    if len(digits.lstrip("-")) > MAX_DIGITS:
        return Refused(f"a number with {len(digits.lstrip('-')):,} digits is too large")
    return int(digits)


def _float(text):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return Refused("a number too large to represent")
    return value


def _constant(name):
    return Refused(f"{name} is not a JSON number")


def decode(text):
    """One line's JSON, with :class:`Refused` in place of numbers it will not build."""
    try:
        return json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise LineError("(line)", f"not valid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise LineError("(line)", "not valid JSON: nested too deeply") from None


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z|\(key\)\Z")


def child_path(path, key):
    """``body[2]``, ``sources[0].title``; a key that is not a plain name is quoted as
    JSON, with any colon escaped, so that ``line N: field: reason`` stays unambiguous."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not IDENTIFIER.match(key):
        quoted = json.dumps(key if len(key) <= SHOWN_LENGTH else key[:SHOWN_LENGTH] + "…")
        escaped = quoted.replace(":", "\\u003a")
        return f"{path}[{escaped}]"
    return f"{path}.{key}" if path else key


def check_values(data):
    """Refuse the first unusable value anywhere in ``data``: a :class:`Refused` number, a
    string (or key) with NUL or a lone surrogate, or nesting deeper than ``MAX_DEPTH``."""
    pending = [("", data, 0)]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise LineError(path, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, Refused):
            raise LineError(path or "(line)", value.reason)
        if isinstance(value, str):
            check_text(path or "(line)", value)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                check_text(child_path(path, "(key)"), key)
                pending.append((child_path(path, key), item, depth + 1))
        elif isinstance(value, list):
            pending.extend(
                (child_path(path, i), item, depth + 1)
                for i, item in reversed(list(enumerate(value)))
            )


def check_text(field, text):
    if "\x00" in text:
        raise LineError(field, "contains a NUL character (U+0000), which cannot be stored")
    surrogate = SURROGATE.search(text)
    if surrogate:
        code = f"U+{ord(surrogate.group()):04X}"
        raise LineError(field, f"contains a lone surrogate ({code}), which is not valid Unicode")


def check_body_size(body):
    longest = get_settings()["IMPORT_BODY_MAX_LENGTH"]
    length = len(json.dumps(body, ensure_ascii=False))
    if length > longest:
        raise LineError("body", f"longer than {longest:,} characters ({length:,})")


def check_text_size(field, text):
    longest = get_settings()["IMPORT_TEXT_MAX_LENGTH"]
    if len(text) > longest:
        raise LineError(field, f"longer than {longest:,} characters ({len(text):,})")


def check_block_shape(block, value, path):
    """Refuse a value the editor's form could not give ``block``: the right JSON type
    at every level, no unknown keys, text within the size limit. What passes is then
    converted and validated by the block itself (``to_python``, ``clean``)."""
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            raise LineError(path, "expected an object")
        for key, item in value.items():
            if key not in block.child_blocks:
                raise LineError(child_path(path, key), "unknown key")
            check_block_shape(block.child_blocks[key], item, child_path(path, key))
    elif isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            raise LineError(path, "expected a list")
        for i, item in enumerate(value):
            check_block_shape(block.child_block, item, child_path(path, i))
    elif isinstance(block, blocks.StreamBlock):
        if not isinstance(value, list):
            raise LineError(path, "expected a list of blocks")
        for i, item in enumerate(value):
            if not isinstance(item, dict) or item.get("type") not in block.child_blocks:
                raise LineError(child_path(path, i), "expected a block of a known type")
            check_block_shape(block.child_blocks[item["type"]], item.get("value"), path)
    elif isinstance(block, ImageChooserBlock):
        if type(value) is not int or not 0 < value <= MAX_ID:
            raise LineError(path, "expected the id of an image (a positive integer)")
    elif isinstance(block, (blocks.FieldBlock, EmbedBlock)):
        if not isinstance(value, str):
            raise LineError(path, "expected a string")
        check_text_size(path, value)
    else:  # a block kind added to the body later: refuse until the importer knows it
        raise LineError(path, "this kind of block cannot be imported")
