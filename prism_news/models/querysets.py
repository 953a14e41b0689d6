from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


def published_q():
    """Not past its expiry date (Wagtail unpublishes expired pages only when a command runs)."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def public_q():
    """No view restriction on the page or an ancestor, as one SQL condition.

    Wagtail's ``.public()`` fetches every restriction first, one query each time;
    this asks the database within the same query instead.
    """
    restricted = PageViewRestriction.objects.filter(
        StartsWith(Cast(OuterRef("path"), CharField()), F("page__path"))
    )
    return ~Exists(restricted)


def visible_q():
    """What an anonymous reader may see: live, without view restrictions, not expired."""
    return Q(live=True) & public_q() & published_q()


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """What an anonymous reader may see: live, public and not past its expiry."""
        return self.filter(visible_q())

    def newest_first(self):
        return self.order_by(
            F("published_at").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-pk",
        )

    def for_cards(self):
        """Everything a card shows, fetched up front."""
        return self.select_related("hero_image", "locale", "ai_reviewed_by")


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
