"""What may enter the content from outside the editor: rich text and URLs.

Rich text goes through Wagtail's own whitelisting for database HTML (the one its
v3 API uses for writes) with the field's features, so what is stored is what an
editor could have produced in Draftail. Two things Draftail produces that the
whitelisting would otherwise drop are kept: the ``data-block-key`` of each block
(inline comments hang on it) and the inline styles that Wagtail registers for
Draftail only (superscript, subscript, strikethrough, code; see
:func:`register_inline_rules`). URLs that end up in ``href``/``src`` must be http
or https.
"""

import re
from functools import cache
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter
from django.utils.functional import cached_property
from django.utils.html import escape

WEB_SCHEMES = ("http", "https")
_BLOCK_KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")
# Draftail features whose HTML Wagtail whitelists for Draftail but not for database
# HTML input: the element each one makes.
INLINE_ELEMENTS = {"superscript": "sup", "subscript": "sub", "strikethrough": "s", "code": "code"}


def register_inline_rules(features):
    """``register_rich_text_features`` hook: database-HTML whitelist rules for the
    inline features Wagtail only describes for Draftail."""
    from wagtail.admin.rich_text.converters.editor_html import WhitelistRule
    from wagtail.whitelist import allow_without_attributes

    for feature, element in INLINE_ELEMENTS.items():
        rule = [WhitelistRule(element, allow_without_attributes)]
        features.register_converter_rule("editorhtml", feature, rule)


class _DbHtmlFormatter(HTMLFormatter):
    """Text as Draftail writes it (only ``&``, ``<`` and ``>`` escaped); attribute values
    fully escaped and double-quoted, as Wagtail's database HTML patterns expect."""

    def __init__(self):
        super().__init__(entity_substitution=EntitySubstitution.substitute_xml)

    def attribute_value(self, value):
        return escape(value)


_DB_HTML_FORMATTER = _DbHtmlFormatter()


@cache
def _converter_class():
    from wagtail.admin.rich_text.converters.db_html import (
        DbHTMLConverter,
        DbHtmlInputWhitelister,
    )

    class Whitelister(DbHtmlInputWhitelister):
        def clean(self, html):
            # Wagtail's cleaning, then its output written as Draftail writes text
            # (Wagtail escapes quotes in text too, which Draftail never does).
            cleaned = super().clean(html)
            return BeautifulSoup(cleaned, "html.parser").decode(formatter=_DB_HTML_FORMATTER)

        def clean_tag_node(self, doc, tag):
            key = tag.attrs.get("data-block-key")
            super().clean_tag_node(doc, tag)
            kept = tag.parent is not None and not getattr(tag, "decomposed", False)
            if kept and isinstance(key, str) and _BLOCK_KEY.fullmatch(key):
                tag["data-block-key"] = key

    class Converter(DbHTMLConverter):
        @cached_property
        def whitelister(self):
            return Whitelister(self.converter_rules)

    return Converter


def clean_rich_text(source, features):
    """``(clean database HTML, removals)`` for ``source`` under ``features``.

    Each removal names the element that was dropped or unwrapped and why
    (``wagtail.admin.rich_text.converters.db_html.RichTextRemoval``).
    """
    return _converter_class()(features).clean(source or "")


def is_web_url(url):
    """True for an absolute http(s) URL with a host, the only kind we link or embed."""
    if not isinstance(url, str) or any(c in url for c in "\x00\r\n\t"):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)
