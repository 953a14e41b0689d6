from django import template
from django.conf import settings
from django.utils.translation import get_supported_language_variant

from ..translation import live_translations

register = template.Library()


@register.inclusion_tag("prism_news/includes/alternates.html", takes_context=True)
def prism_alternates(context, page):
    """``<link rel="alternate" hreflang>`` for the page and its live translations,
    with ``x-default`` on the default language's version."""
    request = context.get("request")
    versions = [page, *live_translations(page)] if page.pk else [page]
    if len(versions) < 2:
        return {"alternates": []}
    default_language = get_supported_language_variant(settings.LANGUAGE_CODE)
    alternates = []
    for version in versions:
        url = version.get_full_url(request)
        language = version.locale.language_code
        alternates.append({"hreflang": language, "url": url})
        if language == default_language:
            alternates.append({"hreflang": "x-default", "url": url})
    return {"alternates": alternates}
