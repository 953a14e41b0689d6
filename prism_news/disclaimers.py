"""Which disclaimer an article carries, in the article's own locale."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .provenance import involves_ai


class DisclaimerKind(models.TextChoices):
    AI = "ai", _("AI content")
    CORRECTIONS = "corrections", _("Corrections")
    SPONSORED = "sponsored", _("Sponsored content")
    GENERAL = "general", _("General")


def localized_disclaimer(disclaimer, locale_id):
    """The live, public version of ``disclaimer`` in ``locale_id``.

    Falls back to the disclaimer itself (if live and public) when it has no
    translation in that locale yet: a disclaimer in another language beats none.
    """
    from .models import DisclaimerPage

    candidates = (
        DisclaimerPage.objects.live().public().filter(translation_key=disclaimer.translation_key)
    )
    by_locale = {page.locale_id: page for page in candidates}
    return by_locale.get(locale_id) or by_locale.get(disclaimer.locale_id)


def resolve_disclaimer(article, site=None):
    """The disclaimer shown under ``article``.

    An editor's explicit choice wins. Otherwise an article with AI involvement
    gets the site's default disclaimer of kind ``ai``; an article without AI
    involvement gets none.
    """
    from .models import NewsroomSettings

    chosen = article.disclaimer
    if chosen is None:
        if not involves_ai(article.ai_involvement):
            return None
        site = site or article.get_site()
        if site is None:
            return None
        chosen = NewsroomSettings.for_site(site).default_disclaimer(DisclaimerKind.AI)
        if chosen is None:
            return None
    return localized_disclaimer(chosen, article.locale_id)
