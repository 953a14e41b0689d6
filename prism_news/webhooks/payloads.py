"""The body of a delivery, built once per event in the task worker."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from wagtail.api.utils import get_full_url
from wagtail.models import Page

from ..models import ArticlePage
from ..representations.card import card
from ..representations.prefetch import prepare_cards
from ..visibility import visible_q
from .event_types import PUBLICATIONS

#: The URL name of the v2 pages detail endpoint mounted with ``api_router()``.
API_DETAIL_URL_NAME = "wagtailapi:pages:detail"


def api_detail_url(page_id):
    """``/api/v2/pages/<id>/`` as an absolute URL (``WAGTAILAPI_BASE_URL``), or None
    when the site does not mount prism_news's v2 router under its default name."""
    if page_id is None:
        return None
    try:
        return get_full_url(None, reverse(API_DETAIL_URL_NAME, args=[page_id]))
    except NoReverseMatch:
        return None


def build_payload(event):
    """The JSON body for ``event`` (as ``events.emit`` recorded it).

    Publications of articles carry the card (``prism_news.representations.card``), as
    the article is when the worker builds it.
    """
    payload = {
        "id": event["id"],
        "type": event["type"],
        "occurred_at": event["occurred_at"],
        "page": event["page"],
        **event.get("extra", {}),
    }
    if event["type"] in PUBLICATIONS:
        payload["card"] = article_card(event["page"]["id"])
    return payload


def article_card(page_id):
    """The card of the live, public article ``page_id``; None for other pages."""
    article = ArticlePage.objects.published().for_cards().filter(pk=page_id).first()
    if article is None:
        return None
    prepare_cards([article])  # what a card reads, and nothing a card does not show
    return card(article)


def is_visible(page_id):
    """Whether an anonymous reader can see the page (live, public, unexpired)."""
    return Page.objects.filter(visible_q(), pk=page_id).exists()


def encode(payload):
    """The exact bytes sent (and signed): compact JSON in UTF-8."""
    text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")
