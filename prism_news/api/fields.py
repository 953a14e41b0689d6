"""DRF fields for the API, one per shape in ``representation``.

Each reads the whole page (``source="*"``) and returns a typed shape; Wagtail's
v3 API reuses these fields and types its OpenAPI schema from the annotations.
"""

from rest_framework.fields import Field

from ..conf import get_settings
from . import representation, types


class PageField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    @property
    def is_listing(self):
        view = self.context.get("view") if self.parent is not None else None
        return getattr(view, "action", None) == "listing_view"


class URLField(PageField):
    def to_representation(self, page) -> str | None:
        return representation.page_url(page)


class LanguageLabelField(PageField):
    def to_representation(self, page) -> str:
        return page.language_label


class ReadingTimeField(PageField):
    def to_representation(self, article) -> types.ReadingTime:
        return representation.reading_time(article)


class CategoryField(PageField):
    def to_representation(self, article) -> types.Category | None:
        return representation.category(article.category)


class TagsField(PageField):
    def to_representation(self, article) -> list[str]:
        return representation.tags(article)


class AuthorsField(PageField):
    def to_representation(self, article) -> list[types.Author]:
        return representation.authors(article)


class AIField(PageField):
    def to_representation(self, article) -> types.AI:
        return representation.ai(article)


class SourcesField(PageField):
    def to_representation(self, article) -> list[types.Source]:
        return representation.sources(article)


class HeroImageField(PageField):
    def to_representation(self, article) -> types.Image | None:
        key = "API_CARD_RENDITIONS" if self.is_listing else "API_RENDITIONS"
        return representation.hero_image(article, get_settings()[key])


class BodyField(PageField):
    def to_representation(self, page) -> list[types.BodyBlock]:
        return representation.body(page, self.context if self.parent is not None else None)


class DisclaimerField(PageField):
    def to_representation(self, article) -> types.Disclaimer | None:
        return representation.disclaimer(article)


class RelatedField(PageField):
    def to_representation(self, article) -> list[types.Card]:
        return representation.related(article)


class TranslationsField(PageField):
    def to_representation(self, page) -> list[types.Translation]:
        return representation.translations(page)


class JsonLdField(PageField):
    def to_representation(self, article) -> types.NewsArticleJsonLd:
        return representation.json_ld(article)
