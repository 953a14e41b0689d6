"""DRF fields for the API: each adapts one shape of ``prism_news.representations``.

Each reads the whole page (``source="*"``) and returns a typed shape; Wagtail's
v3 API reuses these fields and types its OpenAPI schema from the annotations.
The page models name them in their ``api_fields`` by dotted path
(``prism_news.models.api_fields``), so the models never import this layer.
"""

from rest_framework.fields import Field, SkipField

from ..conf import get_settings
from ..representations import byline, common, corrections, images, provenance, types
from ..representations.article import body, json_ld
from ..representations.card import CARD, related
from ..search.snippets import article_snippet


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
        return common.page_url(page)


class LanguageLabelField(PageField):
    def to_representation(self, page) -> str:
        return page.language_label


class ReadingTimeField(PageField):
    def to_representation(self, article) -> types.ReadingTime:
        return common.reading_time(article)


class CategoryField(PageField):
    def to_representation(self, article) -> types.Category | None:
        return common.category(article.category)


class TagsField(PageField):
    def to_representation(self, article) -> list[str]:
        return common.tags(article)


class AuthorsField(PageField):
    def to_representation(self, article) -> list[types.Author]:
        return byline.authors(article)


class AIField(PageField):
    def to_representation(self, article) -> types.AI:
        return provenance.ai(article)


class SourcesField(PageField):
    def to_representation(self, article) -> list[types.Source]:
        return provenance.sources(article)


class HeroImageField(PageField):
    def to_representation(self, article) -> types.Image | None:
        # A listing item is a card: the card's renditions, as card() has them.
        specs = CARD.renditions() if self.is_listing else get_settings()["API_RENDITIONS"]
        return images.hero_image(article, specs)


class BodyField(PageField):
    def to_representation(self, page) -> list[types.BodyBlock]:
        return body(page, self.context if self.parent is not None else None)


class CorrectionsField(PageField):
    def to_representation(self, article) -> list[types.CorrectionNote]:
        return corrections.notes(article)


class DisclaimerField(PageField):
    def to_representation(self, article) -> types.Disclaimer | None:
        return common.disclaimer(article)


class RelatedField(PageField):
    def to_representation(self, article) -> list[types.Card]:
        return related(article)


class TranslationsField(PageField):
    def to_representation(self, page) -> list[types.Translation]:
        return common.translations(page)


class JsonLdField(PageField):
    def to_representation(self, page) -> types.NewsArticleJsonLd:
        return json_ld(page)


class SearchSnippetField(PageField):
    """Listings with ``search`` only: the summary or body text around the first match."""

    def get_attribute(self, instance):
        request = self.context.get("request") if self.parent is not None else None
        if not self.is_listing or request is None or not request.GET.get("search"):
            raise SkipField  # absent when not searching
        return super().get_attribute(instance)

    def to_representation(self, article) -> str | None:
        request = self.context["request"]
        return article_snippet(article, request.GET["search"], request.GET.get("locale"))
