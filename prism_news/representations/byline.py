"""The byline: an article's authors in the article's own language."""

from . import types


def authors(article) -> list[types.Author]:
    return [
        {"id": author.pk, "name": author.name, "role": author.role}
        for author in article.localized_authors()
    ]
