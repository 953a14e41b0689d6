from django.apps import apps
from django.db.models import Exists, OuterRef
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from ..publication_dates import listed_q, next_publication
from ..representations.card import CARD
from ..visibility import visible_q


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """What an anonymous reader may see: live, public and not past its expiry."""
        return self.filter(visible_q())

    def listed(self):
        """What a listing may show: :meth:`published`, and dated no later than now (an
        article dated ahead is read at its URL, listed from its date on:
        ``prism_news.publication_dates``). The response being made, if any, is kept no
        later than the next such date."""
        next_publication()
        return self.published().filter(listed_q())

    def newest_first(self):
        """Newest publication first, as the index ``prism_articles_newest`` serves it
        (an article gets its ``published_at`` when it is first published)."""
        return self.filter(published_at__isnull=False).order_by("-published_at", "-pk")

    def by_author(self, translation_key):
        """Articles whose byline names the author with ``translation_key`` (in any of
        the author's languages: a translated article may still name the source's)."""
        ArticlePageAuthor = apps.get_model("prism_news", "ArticlePageAuthor")
        rows = ArticlePageAuthor.objects.filter(
            page_id=OuterRef("pk"), author__translation_key=translation_key
        )
        return self.filter(Exists(rows))

    def for_cards(self):
        """Everything a card shows, fetched up front."""
        return self.select_related(*CARD.select_related)


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
