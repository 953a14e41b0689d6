# The webhooks package's models belong to this app: importing them here registers them.
from ..webhooks.models import WebhookDelivery, WebhookEndpoint
from .pages import (
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageTag,
    ArticleSource,
    CategoryIndexPage,
    DisclaimerPage,
    RelatedArticlePin,
)
from .settings import NewsroomDefaultDisclaimer, NewsroomSettings
from .snippets import Author
from .workflow import AIReviewTask

__all__ = [
    "AIReviewTask",
    "ArticlePage",
    "ArticlePageAuthor",
    "ArticlePageTag",
    "ArticleSource",
    "Author",
    "CategoryIndexPage",
    "DisclaimerPage",
    "NewsroomDefaultDisclaimer",
    "NewsroomSettings",
    "RelatedArticlePin",
    "WebhookDelivery",
    "WebhookEndpoint",
]
