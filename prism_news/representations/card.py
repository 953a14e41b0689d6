"""The card: one article as listings, related articles, feeds and webhooks show it.

:data:`CARD` is the one definition every consumer derives from:

- :func:`card` builds it (related articles in the API, webhook payloads);
- API listings serve ``CARD.listing_fields`` by default, through the same field
  builders (``prism_news.api.fields``), with ``id`` and ``meta.locale`` as in every
  Wagtail listing;
- ``ArticlePageQuerySet.for_cards()`` and the API's article querysets fetch
  ``CARD.select_related`` with the page row;
- ``prism_news.representations.prefetch.prepare_cards`` fetches ``CARD.renditions()`` of every hero
  image at once, which the HTML card (``{% prism_card_image %}``), the feeds'
  enclosures and the API's card ``hero_image`` all read.
"""

from dataclasses import dataclass

from ..conf import get_settings
from . import types
from .common import category, iso, page_url, reading_time
from .images import hero_image
from .provenance import ai


@dataclass(frozen=True)
class CardShape:
    #: The card's keys, in order.
    fields: tuple
    #: Related rows every card reads, fetched with the page row.
    select_related: tuple
    #: The setting naming the hero image's renditions on a card.
    renditions_setting: str

    @property
    def listing_fields(self):
        """What an API article listing adds to Wagtail's defaults: the card but its
        ``id`` and ``locale``, which every listing item carries (``id``, ``meta.locale``)."""
        return tuple(name for name in self.fields if name not in ("id", "locale"))

    def renditions(self):
        """``{name: filter spec}`` of the hero image on a card."""
        return get_settings()[self.renditions_setting]

    def rendition_specs(self):
        """The distinct filter specs of :meth:`renditions`, in order."""
        return list(dict.fromkeys(self.renditions().values()))


CARD = CardShape(
    fields=(
        "id",
        "title",
        "summary",
        "url",
        "category",
        "locale",
        "language_label",
        "published_at",
        "reading_time",
        "ai",
        "hero_image",
    ),
    # ai_reviewed_by: the card's ai.reviewed_by names the reviewer.
    select_related=("locale", "hero_image", "ai_reviewed_by"),
    renditions_setting="API_CARD_RENDITIONS",
)


def card(article) -> types.Card:
    """The card of ``article``: the keys of ``CARD.fields``, in that order."""
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "url": page_url(article),
        "category": category(article.category),
        "locale": article.language_code,
        "language_label": article.language_label,
        "published_at": iso(article.published_at),
        "reading_time": reading_time(article),
        "ai": ai(article),
        "hero_image": hero_image(article, CARD.renditions()),
    }


def related(article) -> list[types.Card]:
    return [card(other) for other in article.related_articles()]
