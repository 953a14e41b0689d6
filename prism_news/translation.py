"""Programmatic translation through wagtail-localize's own machinery.

The admin's "Translate" action does the same: it extracts the source's strings
into a TranslationSource, records a translation of each string, and saves the
target object from those translations. This module lets code (the demo loader,
an import pipeline, tests) do it with a function that supplies the strings.
"""

from django.db import transaction
from wagtail.models import DraftStateMixin, Revision

from .ai_review import review_revision
from .caching import depends_on
from .visibility import visible_q


def live_translations(page):
    """The page's live, public translations in other locales, by language code.

    Cached on the page: the API, the alternates in the HTML and the translation
    list ask for it once per request.
    """
    cached = getattr(page, "_prism_translations", None)
    if cached is not None:
        return cached
    depends_on(f"tkey:{page.translation_key}")

    translations = list(
        page.get_translations()
        .filter(visible_q())
        .select_related("locale")
        .order_by("locale__language_code")
    )
    page._prism_translations = translations
    return translations


class MissingTranslation(LookupError):
    """A source string that the supplied function could not translate."""


@transaction.atomic
def translate_instance(
    instance, locale, translate_string, *, user=None, publish=True, reviewer=None, reviewed_at=None
):
    """Create or update ``instance``'s translation into ``locale``; return it.

    ``translate_string(text)`` returns the translation of one source string, or
    ``None`` when it has none, which raises :class:`MissingTranslation` naming
    the string, so nothing half-translated is saved.

    With ``publish``, the translation goes through the publishing gate like any
    other publication: an AI article's translation needs a reviewed source and a
    review of its own text. ``reviewer`` records that review (the person who read
    the translated text) on the revision before it is published. A refusal raises
    :class:`prism_news.publish_gate.PublishingBlocked` and nothing is saved.
    """
    # Imported here: a models module, and the models import this module; a site that
    # left wagtail_localize out must still load them so prism_news.E003 can say so.
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = translate_string(segment.string.data)
        if text is None:
            raise MissingTranslation(
                f"No {locale.language_code} translation for {segment.context.path!r}: "
                f"{segment.string.data[:80]!r}"
            )
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
    # wagtail-localize would publish on commit, from the revision's in-memory copy
    # of the page. Inside a longer transaction that copy goes stale (its numchild
    # misses children added meanwhile) and the late publish writes it back,
    # hiding those children from routing. So save a draft and publish now, from
    # a revision read fresh from the database.
    # Objects without draft state (plain snippets) are simply saved.
    has_drafts = isinstance(instance, DraftStateMixin)
    translation.save_target(user=user, publish=not has_drafts)
    target = source.get_translated_instance(locale)
    if publish and has_drafts:
        revision = Revision.objects.get(pk=target.latest_revision_id)
        if reviewer is not None:
            review_revision(revision, reviewer, reviewed_at)
        revision.publish(user=user)
        target.refresh_from_db()
    return target
