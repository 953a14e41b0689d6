"""The shapes, as types.

The shape builders return these; the API's DRF fields annotate
``to_representation`` with them, and Wagtail's v3 API reads those annotations to
type the OpenAPI schema. So a shape is declared once here and the v2 output, the
v3 output and the schema cannot disagree.
"""

from typing import Any, Literal

# pydantic (behind the v3 schema) needs typing_extensions.TypedDict before Python 3.12.
from typing_extensions import TypedDict


class Rendition(TypedDict):
    url: str
    width: int
    height: int


class Image(TypedDict):
    id: int
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    renditions: dict[str, Rendition]
    srcset: str


class ReadingTime(TypedDict):
    minutes: int
    label: str


class Category(TypedDict):
    id: int
    title: str
    slug: str
    url: str | None


class AI(TypedDict):
    involvement: Literal["none", "assisted", "analysis", "generated"]
    label: str
    digital_source_type: str
    model: str
    reviewed: bool
    reviewed_by: str | None
    reviewed_at: str | None


class Source(TypedDict):
    title: str
    publisher: str
    url: str
    language: str
    published_at: str | None


class Author(TypedDict):
    id: int
    name: str
    role: str
    #: The author's page in the article's language (relative with one site).
    url: str | None


class Disclaimer(TypedDict):
    id: int
    kind: str
    title: str
    short_text: str
    url: str | None


class Translation(TypedDict):
    id: int
    locale: str
    language_label: str
    title: str
    url: str | None


class CorrectionNote(TypedDict):
    id: str
    kind: Literal["correction", "update"]
    label: str
    date: str | None
    text: str


class Card(TypedDict):
    id: int
    title: str
    summary: str
    url: str | None
    category: Category | None
    locale: str
    language_label: str
    published_at: str | None
    reading_time: ReadingTime
    ai: AI
    hero_image: Image | None


# --- Body blocks


class HeadingValue(TypedDict):
    text: str
    level: int


class ListValue(TypedDict):
    style: Literal["bulleted", "numbered"]
    items: list[str]


class QuoteValue(TypedDict):
    text: str
    attribution: str


class EmbedValue(TypedDict):
    url: str
    provider: str | None
    title: str | None
    html: str | None
    width: int | None
    height: int | None
    thumbnail_url: str | None


class KeyPointsValue(TypedDict):
    title: str
    points: list[str]


class HeadingBlock(TypedDict):
    type: Literal["heading"]
    id: str
    value: HeadingValue


class ParagraphBlock(TypedDict):
    type: Literal["paragraph"]
    id: str
    value: str


class ListBlock(TypedDict):
    type: Literal["list"]
    id: str
    value: ListValue


class QuoteBlock(TypedDict):
    type: Literal["quote"]
    id: str
    value: QuoteValue


class ImageBlock(TypedDict):
    type: Literal["image"]
    id: str
    value: Image | None


class EmbedBlock(TypedDict):
    type: Literal["embed"]
    id: str
    value: EmbedValue | None


class KeyPointsBlock(TypedDict):
    type: Literal["key_points"]
    id: str
    value: KeyPointsValue


BodyBlock = (
    HeadingBlock
    | ParagraphBlock
    | ListBlock
    | QuoteBlock
    | ImageBlock
    | EmbedBlock
    | KeyPointsBlock
)

# --- schema.org NewsArticle (keys with "@" need the functional syntax)

Organization = TypedDict(
    "Organization", {"@type": str, "name": str, "logo": dict[str, Any] | None}, total=False
)
Person = TypedDict("Person", {"@type": str, "name": str, "jobTitle": str, "url": str}, total=False)
BasedOn = TypedDict(
    "BasedOn",
    {
        "@type": str,
        "name": str,
        "url": str,
        "inLanguage": str,
        "datePublished": str,
        "publisher": Organization,
    },
    total=False,
)
ImageObject = TypedDict(
    "ImageObject", {"@type": str, "url": str, "width": int, "height": int}, total=False
)
NodeReference = TypedDict("NodeReference", {"@id": str})
CorrectionComment = TypedDict(
    "CorrectionComment", {"@type": str, "text": str, "datePublished": str}, total=False
)
NewsArticleJsonLd = TypedDict(
    "NewsArticleJsonLd",
    {
        "@context": str,
        "@type": str,
        "@id": str,
        "url": str,
        "mainEntityOfPage": str,
        "headline": str,
        "description": str,
        "image": list[ImageObject],
        "datePublished": str,
        "dateModified": str,
        "author": list[Person],
        "publisher": Organization,
        "inLanguage": str,
        "articleSection": str,
        "keywords": list[str],
        "isBasedOn": list[BasedOn],
        "timeRequired": str,
        "wordCount": int,
        "digitalSourceType": NodeReference,
        "creditText": str,
        "correction": list[CorrectionComment],
    },
    total=False,
)
