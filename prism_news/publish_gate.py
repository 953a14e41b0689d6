"""What may go live: one gate on every save of a prism_news page.

The rule: a row of a prism_news page model is never written live while
:func:`publish_blockers` has reasons for the content being written, unless that
exact content is already what readers see.

Where it is enforced: in Django's ``pre_save`` of each prism_news page model and of
a generic ``Page`` that is the row of one (``prism_news.signal_handlers``), and in
:meth:`PublishGateMixin.save`, so any code that saves the row through
``Model.save()`` meets it, whichever view, action, command or library calls it:

- a publish (``PublishRevisionAction``) is refused with :class:`PublishingBlocked`;
- a page *created* live is stored as a draft instead, so a refused page never
  exists live even for a moment;
- a save that changes the content of a live row in place is refused too.

What it cannot see: ``QuerySet.update()``, ``bulk_create()``, raw SQL and
fixtures loaded with ``loaddata`` (``raw`` saves), which bypass ``save()``.

What is tested: ``tests/test_publish_paths.py`` drives each path in its ``PATHS`` (22) through
their real entry points (the admin's create, edit, schedule, bulk publish and
copy views, ``publish_scheduled``, ``CopyPageAction``, the v3 write endpoints,
``revision.publish()``, wagtail-localize's editor and ``Translation.save_target``,
workflow approval, and plain saves in code) and checks that unreviewed AI content
does not go live through any of them. A path not in that list is covered only in
so far as it saves through ``Model.save()``.

The admin asks the same question first (``wagtail_hooks``) so that editors get a
message in their language instead of an error.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import COMMENTS_RELATION_NAME, Page

from .conf import get_settings

logger = logging.getLogger(__name__)

#: The log action recorded when a scheduled or workflow publication is refused.
REFUSED_ACTION = "prism_news.publish_refused"

# Page fields an ``update_fields`` save may write to a live row without touching
# what readers see (tree bookkeeping, draft state, locks, review bookkeeping).
BOOKKEEPING_FIELDS = {
    "draft_title",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "numchild",
    "path",
    "depth",
    "url_path",
    "alias_of",
    "expired",
    "owner",
    "ai_review_current",
    COMMENTS_RELATION_NAME,
}


@dataclass(frozen=True)
class Blocker:
    """One reason a page may not go live. ``str()`` gives the message in the active language.

    ``fields`` names what is missing, as ``(field name, text)`` pairs of ``model``
    (an ``app_label.ModelName``), labelled when the message is made.
    """

    code: str
    fields: tuple = field(default=())
    model: str = ""

    NEEDS_REVIEW = "needs_review"
    SOURCE_NOT_REVIEWED = "source_not_reviewed"
    UNTRANSLATED = "untranslated"
    NOTE_CHANGED = "note_changed"

    def __str__(self):
        if self.code == self.NEEDS_REVIEW:
            return gettext(
                "AI content needs an approved human review of its current content "
                "before it is published: submit it to the review workflow."
            )
        if self.code == self.SOURCE_NOT_REVIEWED:
            return gettext(
                "This translation was made from source text that has no current human "
                "review: have the source article reviewed, then synchronise the translation."
            )
        if self.code == self.UNTRANSLATED:
            return ngettext(
                "%(count)d text is not translated yet: %(names)s. Translate it before publishing.",
                "%(count)d texts are not translated yet: %(names)s. "
                "Translate them before publishing.",
                len(self.fields),
            ) % {"count": len(self.fields), "names": ", ".join(self._labels())}
        if self.code == self.NOTE_CHANGED:
            return ngettext(
                "A published correction or update cannot be changed or removed: %(names)s. "
                "Keep it as it was and add a new note instead.",
                "Published corrections or updates cannot be changed or removed: %(names)s. "
                "Keep them as they were and add a new note instead.",
                len(self.fields),
            ) % {"names": ", ".join(self._labels())}
        return self.code

    def _labels(self, shown=5):

        try:
            model = apps.get_model(self.model) if self.model else None
        except LookupError:
            model = None
        labels = [_segment_label(model, name, text) for name, text in self.fields[:shown]]
        rest = len(self.fields) - shown
        if rest > 0:
            labels.append(ngettext("%(count)d more", "%(count)d more", rest) % {"count": rest})
        return labels

    def as_data(self):
        return {"code": self.code, "fields": [list(f) for f in self.fields], "model": self.model}

    @classmethod
    def from_data(cls, data):
        fields = tuple(tuple(f) for f in data.get("fields", ()) if len(f) == 2)
        return cls(code=data.get("code", ""), fields=fields, model=data.get("model", ""))


class PublishingBlocked(ValidationError):
    """A page may not go live; ``blockers`` say why, ``messages`` in the active language.

    It carries an ``error_dict`` (under ``NON_FIELD_ERRORS``) as form and
    wagtail-localize error handling expect of a model's ``ValidationError``.
    """

    def __init__(self, blockers):
        self.blockers = list(blockers)
        super().__init__({NON_FIELD_ERRORS: [str(b) for b in self.blockers]})


# --- The questions


def translation_of(page, *, enabled_only=False):
    """The wagtail-localize ``Translation`` whose target ``page`` is, or None."""
    from wagtail_localize.models import Translation

    if not page.translation_key or not page.locale_id:
        return None
    translations = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id
    )
    if enabled_only:
        translations = translations.filter(enabled=True)
    return translations.select_related("source").first()


def untranslated_fields(page):
    """The source strings that this synchronised translation still lacks, as
    ``(field name, source text)`` pairs in the source's order; empty for a page
    that is not the target of an enabled translation."""
    from wagtail_localize.models import StringSegment

    translation = translation_of(page, enabled_only=True)
    if translation is None:
        return ()
    missing = (
        StringSegment.objects.filter(source=translation.source)
        .annotate_translation(page.locale_id)
        .filter(translation__isnull=True)
        .select_related("context", "string")
        .order_by("order")
    )
    return tuple((s.context.path.split(".", 1)[0], s.string.data) for s in missing)


def _segment_label(model, name, text):
    """``Slug “pax-silica”``: the field's name in the active language, and the text."""
    try:
        label = capfirst(model._meta.get_field(name).verbose_name)
    except Exception:  # no model, or a path wagtail-localize made up (inline panels)
        label = name
    snippet = " ".join(text.split())
    if len(snippet) > 40:
        snippet = snippet[:39] + "…"
    return f"{label} “{snippet}”"


def publish_blockers(page):
    """Reasons ``page``, with the content it has in memory, may not go live (empty: it may).

    Page models add their own through a ``publish_blockers()`` method.
    """
    own = getattr(page, "publish_blockers", None)
    blockers = list(own()) if own is not None else []
    if not get_settings()["PUBLISH_UNTRANSLATED"]:
        missing = untranslated_fields(page)
        if missing:
            blockers.append(Blocker(Blocker.UNTRANSLATED, missing, page._meta.label))
    return blockers


def live_content_digest(page):
    """A digest of what readers would get from this row (for "is this save a change?")."""
    own = getattr(page, "live_content_fingerprint", None) or getattr(
        page, "content_fingerprint", None
    )
    if own is not None:
        return own()
    from wagtail_localize.fields import get_translatable_fields

    data = page.serializable_data()
    names = {"title", "slug"} | {
        f.field_name for f in get_translatable_fields(type(page)) if f.is_translated(page)
    }
    content = {name: data.get(name) for name in sorted(names)}
    return hashlib.sha256(json.dumps(content, cls=DjangoJSONEncoder).encode()).hexdigest()


# --- The gate


def _gated_update(page, update_fields):
    if update_fields is None:
        return True
    return bool(set(update_fields) - BOOKKEEPING_FIELDS)


def _already_live_with_same_content(page):
    stored = type(page).objects.filter(pk=page.pk).first()
    return (
        stored is not None
        and stored.live
        and stored.live_revision_id == page.live_revision_id
        and live_content_digest(stored) == live_content_digest(page)
    )


def check_save(page, update_fields=None):
    """The gate, for a save of ``page`` (a specific instance) about to happen.

    Raises :class:`PublishingBlocked`, or turns a page being created live into a draft.
    """
    if getattr(page, "_prism_refused", None) and not page.live and update_fields:
        # A copy refused at creation: Wagtail's copy still writes the live revision
        # and publication dates it meant to give a live copy. A draft has none.
        page.live_revision = None
        page.first_published_at = page.last_published_at = None
    if not page.live or not _gated_update(page, update_fields):
        return
    blockers = publish_blockers(page)
    if not blockers:
        return
    if page._state.adding:
        page.live = False
        page.has_unpublished_changes = True
        page.live_revision = None
        page.first_published_at = page.last_published_at = None
        page._prism_refused = blockers
        logger.info("Created %r as a draft: %s", page, "; ".join(map(str, blockers)))
        return
    if _already_live_with_same_content(page):
        return
    raise PublishingBlocked(blockers)


# --- The gate's signal handlers (connected in prism_news.signal_handlers)


def gate_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of a prism_news page model (``save()`` usually checked it already)."""
    if raw or getattr(instance, "_prism_checked", False):
        return
    check_save(instance, update_fields)


def gate_generic_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of a generic ``Page`` (``Page.objects.get(...)``): when it is the row
    of one of our models, judge the row as it will be, the specific fields from the
    database and the Page fields from memory. Nothing at all for the host's pages."""
    if raw or instance._state.adding or not instance.live:
        return
    model = instance.specific_class  # the content type, from Django's cache
    if model is None or not issubclass(model, PublishGateMixin):
        return
    specific = model.objects.filter(pk=instance.pk).first()
    if specific is None:
        return
    for page_field in Page._meta.concrete_fields:
        setattr(specific, page_field.attname, getattr(instance, page_field.attname))
    specific._state.adding = False
    check_save(specific, update_fields)


class PublishGateMixin:
    """For page models: the gate above, plus two things only the specific model can do.

    - A live translation keeps its live content when wagtail-localize synchronises
      it (it writes the new source content into the row before saving a draft
      revision); the draft revision gets everything, and publishing applies it.
    - A refused scheduled publication stays scheduled and is reported instead of
      stopping ``publish_scheduled`` for every other page.
    """

    def save(self, *args, **kwargs):
        if (
            kwargs.get("update_fields") is None
            and self.pk
            and self.live
            and not self._state.adding
            and translation_of(self) is not None
            and not _is_being_published(self)
        ):
            kwargs["update_fields"] = ["draft_title", "has_unpublished_changes"]
        check_save(self, kwargs.get("update_fields"))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = self.before_save(list(kwargs["update_fields"]))
        else:
            self.before_save(None)
        self._prism_checked = True
        try:
            return super().save(*args, **kwargs)
        finally:
            self._prism_checked = False

    def before_save(self, update_fields):
        """Called after the gate, before the row is written; for subclasses, which
        return ``update_fields`` with any field they set added (None: all fields)."""
        return update_fields

    def publish(self, revision, user=None, changed=True, log_action=True, **kwargs):
        try:
            with transaction.atomic():
                return super().publish(
                    revision, user=user, changed=changed, log_action=log_action, **kwargs
                )
        except PublishingBlocked as refused:
            if log_action != "wagtail.publish.scheduled":
                raise
            # Nothing of the publication was kept (the savepoint rolled back), so
            # the revision is still scheduled; publish_scheduled tries again next run.
            report_refusal(self, revision, refused.blockers, user=user, scheduled=True)
            return None


def _is_being_published(page):
    stored = type(page).objects.filter(pk=page.pk).values_list("live_revision_id", flat=True)
    return stored.first() != page.live_revision_id


def report_refusal(page, revision, blockers, *, user=None, scheduled=False):
    """Record a refused publication in the page's history and the log."""

    with override("en"):  # the server log is read by operators, in one language
        reasons = "; ".join(map(str, blockers))
    logger.warning("Publication of %r (revision %s) refused: %s", page, revision.pk, reasons)
    log(
        instance=page,
        action=REFUSED_ACTION,
        user=user,
        revision=revision,
        data={"scheduled": scheduled, "blockers": [b.as_data() for b in blockers]},
    )


PUBLISH_REFUSED = _("“%(title)s” was not published: %(reasons)s")
