# The webhooks and caching packages' models belong to this app: importing them here
# registers them.
from ..caching.models import PendingInvalidation
from ..webhooks.models import WebhookDelivery, WebhookEndpoint
from .listing import ListingCount
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

#: prism_news's page types: what its serving rules and signal handlers are about (a
#: subclass, or an alias of one of these pages, is one of them too).
OWN_PAGE_TYPES = (ArticlePage, CategoryIndexPage, DisclaimerPage)

__all__ = [
    "AIReviewTask",
    "ArticlePage",
    "ArticlePageAuthor",
    "ArticlePageTag",
    "ArticleSource",
    "Author",
    "CategoryIndexPage",
    "DisclaimerPage",
    "ListingCount",
    "NewsroomDefaultDisclaimer",
    "NewsroomSettings",
    "OWN_PAGE_TYPES",
    "PendingInvalidation",
    "RelatedArticlePin",
    "WebhookDelivery",
    "WebhookEndpoint",
]
