from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import Page, PageManager, PageViewRestriction
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


def readable_q():
    """Live, not expired, and without view restrictions on the page or an ancestor."""
    return Q(live=True) & published_q() & public_q()


def original_visible_q():
    """Not an alias, or an alias whose original readers may see.

    An alias shows its original's content wherever it stands in the tree, so a
    view restriction (or expiry) of the original must hide the alias too.
    """
    originals = Page.objects.filter(readable_q(), pk=OuterRef("alias_of_id"))
    return Q(alias_of__isnull=True) | Exists(originals)


def visible_q():
    """What an anonymous reader may see, decided once for every door (API v2 and v3,
    HTML listings, related articles, translations, rich-text links):

    live, not past its expiry date (whether or not ``publish_scheduled`` has run),
    without view restrictions on the page or an ancestor, and, for an alias, the
    same of its original. Everyone gets this view from the public API; HTML pages
    apply Wagtail's own view restrictions on top (see ``prism_news.serving``).
    """
    return readable_q() & original_visible_q()


class ArticlePageQuerySet(PageQuerySet):
    def published(self):
        """What an anonymous reader may see: live, public and not past its expiry."""
        return self.filter(visible_q())

    def newest_first(self):
        """Newest publication first, as the index ``prism_articles_newest`` serves it
        (an article gets its ``published_at`` when it is first published)."""
        return self.filter(published_at__isnull=False).order_by("-published_at", "-pk")

    def for_cards(self):
        """Everything a card shows, fetched up front."""
        return self.select_related("hero_image", "locale", "ai_reviewed_by")


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
