"""How an article was made: AI involvement, the human review, the original sources."""

from . import types
from .common import iso


def ai(article) -> types.AI:
    return {
        "involvement": article.ai_involvement,
        "label": article.ai_badge,
        "digital_source_type": article.digital_source_type,
        "model": article.ai_model,
        # Only a review of the content being served counts (prism_news.ai_review).
        "reviewed": article.ai_review_current,
        "reviewed_by": article.reviewer_name,
        "reviewed_at": iso(article.ai_reviewed_at) if article.ai_review_current else None,
    }


def sources(article) -> list[types.Source]:
    return [
        {
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            # A valid tag or "", whatever an older version stored (prism_news.languages).
            "language": source.language_tag,
            "published_at": iso(source.published_at),
        }
        for source in article.sources.all()
    ]
