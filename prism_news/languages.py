"""Language codes: the short labels on cards, and the language tags that sources carry.

A source's ``language`` is a BCP 47 language tag (RFC 5646): checked for its form by
:func:`validate_language_tag`, written in its canonical case by :func:`canonical_tag`
(``zh-hant-tw`` becomes ``zh-Hant-TW``), and offered to editors as a list of
languages (:func:`source_language_choices`). What readers and machines get
(``hreflang``, JSON-LD ``inLanguage``, the API) goes through :func:`valid_tag_or_blank`,
so a value stored before the check existed never reaches them.
"""

import re

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .conf import get_settings


def language_label(language_code):
    """The language label on cards: the language's name in itself ("日本語",
    "English"), as the language switcher shows it, unless ``LANGUAGE_LABELS`` gives one;
    a language Django does not know shows its upper-cased code."""
    labels = get_settings()["LANGUAGE_LABELS"]
    code = (language_code or "").lower()
    label = labels.get(code) or labels.get(code.split("-")[0])
    if label:
        return label
    for candidate in (code, code.split("-")[0]):
        info = LANG_INFO.get(candidate)
        while info and "name_local" not in info:
            info = LANG_INFO.get(info.get("fallback", [""])[0])
        if info:
            return info["name_local"]
    return code.split("-")[0].upper()


# RFC 5646's "langtag": language (with up to three extended subtags), script, region,
# variants, extensions and a private-use part. ASCII only: with IGNORECASE alone,
# [a-z] would also match the Kelvin sign and the dotless i.
LANGUAGE_TAG = re.compile(
    r"(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<rest>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?)",
    re.IGNORECASE | re.ASCII,
)

#: The longest tag a source stores (``ArticleSource.language``).
MAX_LENGTH = 35

INVALID_TAG = _(
    "“%(value)s” is not a language code. Use a code such as “en”, “ja”, “pt-BR” or "
    "“zh-Hant” (BCP 47)."
)


def is_language_tag(value):
    return (
        isinstance(value, str)
        and len(value) <= MAX_LENGTH
        and LANGUAGE_TAG.fullmatch(value) is not None
    )


def validate_language_tag(value):
    if value and not is_language_tag(value):
        raise ValidationError(INVALID_TAG, code="invalid_language", params={"value": value})


def canonical_tag(value):
    """``value`` in BCP 47's conventional case (``en-GB``, ``zh-Hant``, ``sr-Latn-RS``),
    or ``value`` itself when it is not a language tag."""
    match = LANGUAGE_TAG.fullmatch(value or "") if is_language_tag(value) else None
    if match is None:
        return value
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts) + match["rest"].lower()


def valid_tag_or_blank(value):
    """What may go out as ``hreflang`` or ``inLanguage``: the canonical tag, or "" for
    anything that is not a language tag."""
    return canonical_tag(value) if is_language_tag(value) else ""


def known_languages():
    """The languages editors pick a source's language from: Django's list of
    languages (``django.conf.locale.LANG_INFO``) and the site's own languages, by
    canonical tag."""
    codes = {code for code, info in LANG_INFO.items() if "name" in info}
    for setting in ("LANGUAGES", "WAGTAIL_CONTENT_LANGUAGES"):
        codes.update(code for code, _name in getattr(settings, setting, None) or ())
    return sorted({canonical_tag(code) for code in codes if is_language_tag(code)})


def language_name(tag):
    """The language's name in the active language, from Django's list, else the tag."""
    info = LANG_INFO.get(tag.lower())
    while info and "name" not in info:
        info = LANG_INFO.get(info.get("fallback", [""])[0])
    if not info:
        names = dict(getattr(settings, "LANGUAGES", ()))
        return str(names.get(tag) or names.get(tag.lower()) or tag)
    return gettext(info["name"])


def source_language_choices(current=None):
    """(tag, "Name (tag)") for every known language, by name in the active language,
    after a blank choice; ``current`` (a stored value not in the list) is kept as a
    choice, so that showing an old source never changes it."""
    choices = [(tag, f"{language_name(tag)} ({tag})") for tag in known_languages()]
    choices.sort(key=lambda choice: choice[1].casefold())
    tags = {tag for tag, _label in choices}
    if current and current not in tags:
        choices.insert(0, (current, current))
    return [("", _("Unknown")), *choices]
