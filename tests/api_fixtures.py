"""Helpers for the API tests."""

from wagtail.models import Page, Site

API = "/api/v2/pages/"


def home_with_politics(articles=3, page_size=None):
    """The example site's home page as the default site's root, with a Politics section
    of ``articles`` articles (and ``page_size`` cards a page, when given)."""
    from home.models import HomePage

    from .factories import CategoryIndexPageFactory

    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Prism News", slug="prism-home")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    politics = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
    if page_size is not None:
        politics.page_size = page_size
        politics.save()
    make_articles(politics, articles, prefix="Politics")
    return politics


def translate(page, locale, **changes):
    """A published copy of ``page`` in ``locale`` (and its parents), with ``changes``."""
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return Page.objects.get(pk=copy.pk).specific


def image_body(images, link_to=None):
    body = [("heading", {"text": "Supply chains", "level": "3"})]
    link = f'<a linktype="page" id="{link_to.pk}">the other story</a>' if link_to else "a story"
    body.append(("paragraph", f"<p>Read {link} and <b>more</b>.</p>"))
    body.append(("list", {"style": "bulleted", "items": ["Japan", "South Korea"]}))
    for i, image in enumerate(images):
        body.append(("image", {"image": image, "alt": f"Chart {i}", "caption": "", "credit": ""}))
    return body


def make_articles(category, count, body_images=1, prefix="Story"):
    """``count`` AI-analysis articles with a hero, two sources, two tags, a byline and
    ``body_images`` body images each (for query budgets and benchmarks)."""
    from prism_news.models import ArticlePageAuthor

    from .factories import ArticlePageFactory, AuthorFactory, ImageFactory, source

    author = AuthorFactory()
    articles = []
    for i in range(count):
        article = ArticlePageFactory(
            parent=category,
            title=f"{prefix} {i}",
            hero_image=ImageFactory(),
            hero_image_alt="A chart",
            ai_involvement="analysis",
            sources=[source(), source(publisher="Reuters", url="https://www.reuters.com/")],
            tags=[f"{prefix}-tag-{i}", "shared"],
            body=image_body([ImageFactory() for _ in range(body_images)]),
        )
        ArticlePageAuthor.objects.create(page=article, author=author)
        articles.append(article)
    return articles
