"""The correction and update notes of an article, newest first."""

from django.utils.translation import override

from ..corrections import NoteKind, aware
from ..publication_dates import date_modified as date_modified_without_notes
from . import types
from .common import iso


def note_items(article):
    """``(id, kind, date, text)`` of each note, newest first (undated notes last)."""
    items = []
    for child in article.corrections:
        value = child.value
        when = value.get("date")
        items.append((child.id, value.get("kind"), aware(when) if when else None, value["text"]))
    return sorted(items, key=lambda item: (item[2] is not None, item[2]), reverse=True)


def kind_label(kind, language_code):
    # Labels follow the article's language, as the AI badge does.
    with override(language_code):
        try:
            return str(NoteKind(kind).label)
        except ValueError:
            return kind or ""


def shown_notes(article):
    """The notes for the HTML page: ``kind``, ``label``, ``date`` (a datetime), ``text``."""
    return [
        {
            "id": pk,
            "kind": kind,
            "label": kind_label(kind, article.language_code),
            "date": when,
            "text": text,
        }
        for pk, kind, when, text in note_items(article)
    ]


def notes(article) -> list[types.CorrectionNote]:
    return [
        {
            "id": pk,
            "kind": kind,
            "label": kind_label(kind, article.language_code),
            "date": iso(when),
            "text": text,
        }
        for pk, kind, when, text in note_items(article)
    ]


def newest_note_date(article):
    """The date of the newest note, or None."""
    dates = [when for _pk, _kind, when, _text in note_items(article) if when is not None]
    return max(dates, default=None)


def date_modified(article):
    """When readers last saw the article change: the newest note, or else what
    ``publication_dates.date_modified`` says (its date, the editor's ``updated_at``, the
    last change of its content), whichever is later."""
    moments = [date_modified_without_notes(article), newest_note_date(article)]
    return max((moment for moment in moments if moment is not None), default=None)


def json_ld(article) -> list[types.CorrectionComment]:
    """schema.org ``correction``: a CorrectionComment ("a comment that corrects a
    CreativeWork") per correction note, newest first. Updates correct nothing: they
    move ``dateModified`` only."""
    return [
        {
            "@type": "CorrectionComment",
            "text": note["text"],
            **({"datePublished": note["date"]} if note["date"] else {}),
        }
        for note in notes(article)
        if note["kind"] == NoteKind.CORRECTION
    ]
