"""The small shapes several others are made of."""

import datetime

from django.utils import timezone

from ..languages import language_label
from ..translation import live_translations
from . import types


def iso(value):
    """ISO 8601; date-times in the site's time zone, as Wagtail's own API fields do."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def html_datetime(value):
    """``value`` as an HTML ``<time datetime>`` takes it: a valid global date and time
    string in the site's time zone, to the second ("2026-01-22T09:00:00+09:00"). HTML
    allows at most three digits of a second's fraction, and a time published through
    the admin has six (microseconds); no reader needs them. A date stays a date."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def page_url(page):
    """The page's URL, relative when the site allows (one site, or the page's own)."""
    return page.get_url()


def reading_time(article) -> types.ReadingTime:
    return {"minutes": article.reading_time, "label": article.reading_time_label}


def category(page) -> types.Category | None:
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "slug": page.slug, "url": page_url(page)}


def tags(article) -> list[str]:
    # In the order the editor added them (databases differ on unordered rows).
    items = sorted(article.tagged_items.all(), key=lambda item: item.pk or 0)
    return [item.tag.name for item in items]


def disclaimer(article) -> types.Disclaimer | None:
    page = article.resolved_disclaimer
    if page is None:
        return None
    return {
        "id": page.pk,
        "kind": page.kind,
        "title": page.title,
        "short_text": page.short_text,
        "url": page_url(page),
    }


def translations(page) -> list[types.Translation]:
    return [
        {
            "id": other.pk,
            "locale": other.locale.language_code,
            "language_label": language_label(other.locale.language_code),
            "title": other.title,
            "url": page_url(other),
        }
        for other in live_translations(page)
    ]
