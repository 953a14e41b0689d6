"""The byline: an article's authors in the article's own language, and where each
author's page is (``prism_news.author_pages``)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import override

from . import types


def author_path(slug, language):
    """The path of the author page for ``slug`` in ``language``, or None when the project
    has not included ``prism_news.urls.author_urls`` (or the author has no slug yet)."""
    if not slug:
        return None
    try:
        with override(language):
            return reverse("prism_news_author", kwargs={"slug": slug})
    except NoReverseMatch:
        return None


def author_url(author, article):
    """The author's page in the article's language, in the form the API gives the
    article's own URL (``Page.get_url()``): relative where that is, else absolute on
    the article's site."""
    path = author_path(author.slug, article.language_code)
    if path is None:
        return None
    own = article.get_url()
    if (own is None or own.startswith("/")) or article.site is None:
        return path
    return article.site.root_url + path


def author_full_url(author, article):
    """The author's page in the article's language, absolute on the article's site
    (structured data), or None."""
    path = author_path(author.slug, article.language_code)
    if path is None or article.site is None:
        return None
    return article.site.root_url + path


def authors(article) -> list[types.Author]:
    return [
        {
            "id": author.pk,
            "name": author.name,
            "role": author.role,
            "url": author_url(author, article),
        }
        for author in article.localized_authors()
    ]
