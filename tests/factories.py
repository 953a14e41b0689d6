import factory
import wagtail_factories
from wagtail.models import Locale

from prism_news.models import (
    ArticlePage,
    ArticleSource,
    Author,
    CategoryIndexPage,
    DisclaimerPage,
)


class ImageFactory(wagtail_factories.ImageFactory):
    # Big enough for every rendition the API asks for.
    file = factory.django.ImageField(width=1600, height=900)


class CategoryIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Category {n}")
    intro = "<p>Reporting and analysis.</p>"

    class Meta:
        model = CategoryIndexPage


class DisclaimerPageFactory(wagtail_factories.PageFactory):
    title = "AI content policy"
    kind = "ai"
    short_text = (
        "This content was summarised and analysed by AI from the original article. "
        "We aim for accuracy, but errors are possible; please check the original."
    )

    class Meta:
        model = DisclaimerPage


def source(**overrides):
    """An unsaved source row, to pass as ``sources=[...]``."""
    values = {
        "title": "Pax Silica and the new technology order",
        "publisher": "The Diplomat",
        "url": "https://thediplomat.com/",
        "language": "en",
    }
    values.update(overrides)
    return ArticleSource(**values)


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "A short summary of the story."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Some body text for the article.</p>")])
    ai_involvement = "none"

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)
            obj.save()


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    role = "Chief Editor"
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = Author
