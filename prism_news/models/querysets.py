from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """What an anonymous reader may see: live, public and not past its expiry."""
        return (
            self.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
        )

    def newest_first(self):
        return self.order_by(
            F("published_at").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-pk",
        )

    def for_cards(self):
        """Everything a card shows, fetched up front."""
        return self.select_related("hero_image", "locale")


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
