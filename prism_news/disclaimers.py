"""Which disclaimer an article carries, in the article's own locale.

Below the models (they use :class:`DisclaimerKind` and call
:func:`resolve_disclaimer`), so it looks the disclaimer model up in Django's app
registry rather than importing it.
"""

from django.apps import apps
from django.db import models
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from .ai_involvement import involves_ai
from .caching import depends_on
from .visibility import visible_q


class DisclaimerKind(models.TextChoices):
    AI = "ai", _("AI content")
    AI_ASSISTED = "ai_assisted", _("AI-assisted content")
    AI_GENERATED = "ai_generated", _("AI-generated content")
    CORRECTIONS = "corrections", _("Corrections")
    SPONSORED = "sponsored", _("Sponsored content")
    GENERAL = "general", _("General")


# The disclaimer follows the involvement level: a level's own default if the site
# set one, else the general AI content disclaimer.
DEFAULT_KINDS = {
    "assisted": (DisclaimerKind.AI_ASSISTED, DisclaimerKind.AI),
    "analysis": (DisclaimerKind.AI,),
    "generated": (DisclaimerKind.AI_GENERATED, DisclaimerKind.AI),
}


def localized_disclaimer(disclaimer_id, locale_id):
    """The live, public version of the disclaimer ``disclaimer_id`` in ``locale_id``.

    Falls back to the disclaimer itself (if live and public) when it has no
    translation in that locale yet: a disclaimer in another language beats none.
    One query.
    """
    DisclaimerPage = apps.get_model("prism_news", "DisclaimerPage")
    depends_on("nav")  # changes to policy pages (and their translations) invalidate "nav"
    key = DisclaimerPage.objects.filter(pk=disclaimer_id).values("translation_key")[:1]
    candidates = DisclaimerPage.objects.filter(visible_q(), translation_key=Subquery(key))
    fallback = None
    for page in candidates:
        if page.locale_id == locale_id:
            return page
        if page.pk == disclaimer_id:
            fallback = page
    return fallback


def resolve_disclaimer(article):
    """The disclaimer shown under ``article``.

    An editor's explicit choice wins. Otherwise an article with AI involvement
    gets the site's default disclaimer of kind ``ai``; an article without AI
    involvement gets none.
    """
    chosen_id = article.disclaimer_id
    if chosen_id is None:
        if not involves_ai(article.ai_involvement) or article.newsroom_settings is None:
            return None
        defaults = article.newsroom_settings
        for kind in DEFAULT_KINDS.get(article.ai_involvement, (DisclaimerKind.AI,)):
            chosen_id = defaults.default_disclaimer_id(kind)
            if chosen_id is not None:
                break
        else:
            return None
    return localized_disclaimer(chosen_id, article.locale_id)
