"""The ja and en catalogues are complete, and the committed .mo files match the .po files."""

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    [
        *ROOT.glob("prism_news/locale/*/LC_MESSAGES/django.po"),
        *ROOT.glob("example_site/*/locale/*/LC_MESSAGES/django.po"),
    ]
)


def test_both_languages_have_catalogues():
    languages = {(path.parts[-5], path.parts[-3]) for path in CATALOGUES}
    assert {("prism_news", "ja"), ("prism_news", "en"), ("home", "ja"), ("home", "en")} <= languages


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po if not entry.translated() or entry.obsolete]
    assert untranslated == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_up_to_date(po_path):
    po = polib.pofile(str(po_path))
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po:
        if entry.msgid_plural:
            for n, expected in entry.msgstr_plural.items():
                count = 1 if int(n) == 0 else 2
                assert compiled.ngettext(entry.msgid, entry.msgid_plural, count) == expected
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
