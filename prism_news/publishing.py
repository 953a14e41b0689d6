"""What may go live: the checks every publication of a prism_news page passes.

Publishing through the admin, wagtail-localize's editor, a management command,
``revision.publish()`` in code or a scheduled publish all end in ``page.save()``
with a new live revision; ``PublishGateMixin.save()`` asks :func:`publish_blockers` there,
so no path around it exists. The admin also asks first (``wagtail_hooks``) to
show the reason as a message rather than an error page.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .conf import get_settings


class PublishingBlocked(ValidationError):
    """A page may not go live; the messages say why."""


def untranslated_segments(page):
    """How many of the source's strings this translation still lacks (0 for a source page)."""
    from wagtail_localize.models import StringSegment, Translation

    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        return 0
    return (
        StringSegment.objects.filter(source=translation.source)
        .annotate_translation(page.locale_id)
        .filter(translation__isnull=True)
        .count()
    )


def publish_blockers(page):
    """Reasons ``page`` may not go live now, as translated messages (empty: it may).

    Page models add their own through a ``publish_blockers()`` method.
    """
    own = getattr(page, "publish_blockers", None)
    reasons = list(own()) if own is not None else []
    if not get_settings()["PUBLISH_UNTRANSLATED"]:
        missing = untranslated_segments(page)
        if missing:
            reasons.append(
                ngettext(
                    "%(count)d text of this translation is not translated yet; "
                    "translate it before publishing.",
                    "%(count)d texts of this translation are not translated yet; "
                    "translate them before publishing.",
                    missing,
                )
                % {"count": missing}
            )
    return reasons


def is_being_published(page):
    """True when this save makes a new revision live (how every publish path ends)."""
    if not (page.pk and page.live and page.live_revision_id):
        return False
    current = type(page).objects.filter(pk=page.pk).values_list("live_revision_id", flat=True)
    return current.first() != page.live_revision_id


def is_translation_target(page):
    from wagtail_localize.models import Translation

    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id
    ).exists()


class PublishGateMixin:
    """For page models: refuse to go live while :func:`publish_blockers` has reasons,
    and keep a live translation's text live until its translator publishes again."""

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None and self.pk and self.live:
            if is_being_published(self):
                reasons = publish_blockers(self)
                if reasons:
                    raise PublishingBlocked(reasons)
            elif is_translation_target(self):
                # wagtail-localize's sync writes the source's new content (with
                # source-language text where strings are untranslated) straight into
                # the row of a live translation before saving it as a draft revision.
                # The row is what readers get, so it keeps the live content; the
                # draft revision still gets everything, and publishing applies it.
                kwargs["update_fields"] = ["draft_title", "has_unpublished_changes"]
        return super().save(*args, **kwargs)


PUBLISH_REFUSED = _("“%(title)s” was not published: %(reasons)s")
