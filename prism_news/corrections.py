"""Published corrections and updates: the dated notes an editor adds to a live
article, and the rule that a published note stays as it was.

The notes are a StreamField on the article (``ArticlePage.corrections``): each note
is part of the page's content, so every revision carries the notes it had, and
wagtail-localize translates each note's text as one segment while the kind and the
date are kept from the source. Each note keeps its block id in every language,
which is what the rule below compares.

The rule: once a note is in a published version of a page, no later save of the
live page may remove it or change its kind, date or text. New notes may be added.
It is judged in :func:`prism_news.publish_gate.check_save` (the page's
``publish_blockers()``), the one point every publish path goes through. What was
published is read from the page's own row: publishing writes the content into the
row and saving a draft does not, and as no publish may drop a note, the row holds
every note ever published.
"""

import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .publish_gate import Blocker

#: How far ahead of the clock a note may be dated (clocks of editors' machines drift).
FUTURE_SLACK = datetime.timedelta(minutes=5)


class NoteKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    UPDATE = "update", _("Update")


class CorrectionNoteBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=NoteKind.choices,
        default=NoteKind.CORRECTION,
        label=_("kind"),
        help_text=_("A correction fixes an error; an update adds what has happened since."),
    )
    date = blocks.DateTimeBlock(
        label=_("date"), help_text=_("When the article was corrected or updated.")
    )
    # Plain text: a note is a sentence or two that feeds, JSON-LD and webhooks carry as
    # text, and that wagtail-localize translates as one segment.
    text = blocks.TextBlock(
        label=_("text"),
        max_length=1000,
        help_text=_("What was wrong and what is right, or what changed. Plain text."),
    )

    class Meta:
        icon = "warning"
        label = _("Correction or update")

    def clean(self, value):
        value = super().clean(value)
        when = value.get("date")
        if when is not None and aware(when) > timezone.now() + FUTURE_SLACK:
            raise StructBlockValidationError(
                {"date": ValidationError(_("A note cannot be dated in the future."))}
            )
        return value


class CorrectionNotesBlock(blocks.StreamBlock):
    note = CorrectionNoteBlock()


def aware(value):
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def note_facts(stream):
    """``{block id: (kind, date, text)}`` of a notes stream; the date as an aware
    datetime, so that the same moment written in two time zones is the same."""
    facts = {}
    for child in stream or ():
        value = child.value
        when = value.get("date")
        facts[child.id] = (value.get("kind"), aware(when) if when else None, value.get("text"))
    return facts


def notes_digest(stream):
    """A digest of the notes' ids, kinds, dates and texts."""
    facts = [
        [pk, kind, when.astimezone(datetime.UTC).isoformat() if when else None, text]
        for pk, (kind, when, text) in note_facts(stream).items()
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def published_notes(page):
    """The notes of ``page`` that readers have seen, or None for a page never published."""
    if page.pk is None:
        return None
    rows = (
        type(page)
        .objects.filter(Q(live=True) | Q(last_published_at__isnull=False), pk=page.pk)
        .values_list("corrections", flat=True)
    )
    for stored in rows:
        return note_facts(stored)
    return None


def changed_notes(page):
    """The published notes that ``page`` (in memory) removes or changes, as
    ``(id, text as published)`` pairs."""
    published = published_notes(page)
    if not published:
        return []
    now = note_facts(page.corrections)
    return [(pk, facts[2]) for pk, facts in published.items() if now.get(pk) != facts]


def added_notes(page):
    """The notes ``page`` has that are not published yet, in the page's order; none
    for a page never published (its first publication corrects nothing)."""
    published = published_notes(page)
    if published is None:
        return []
    return [child for child in page.corrections if child.id not in published]


def publish_blockers(page):
    """A :class:`Blocker` if the page would remove or change a published note."""
    changed = changed_notes(page)
    if not changed:
        return []
    fields = tuple(("corrections", text or "") for _pk, text in changed)
    return [Blocker(Blocker.NOTE_CHANGED, fields, page._meta.label)]
