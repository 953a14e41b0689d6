"""Every signal prism_news listens to, connected in one place.

``PrismNewsConfig.ready()`` calls :func:`register_signal_handlers`. Each handler is
connected with ``sender=`` for the models it concerns and a ``dispatch_uid``, so
that nothing of prism_news runs when the host saves, publishes or deletes its own
models and pages. Those are prism_news's models (its page types with any subclass,
the author snippet, the newsroom settings), and Wagtail's models
only where a prism_news page, or what it shows, changes through them; each such
connection says why.

The handlers live with what they serve: the publish gate in ``publish_gate``, cache
invalidation in ``caching.signals``, renditions in ``renditions``, the search index in
``search_index``, webhooks in ``webhooks.events``.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, TaskState, get_page_models
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_approved,
    task_rejected,
)

from . import listing_counts, publish_gate, reference_index, related, renditions, search_index
from .caching import signals as caching
from .models import (
    OWN_PAGE_TYPES,
    ArticlePage,
    ArticlePageAuthor,
    Author,
    NewsroomDefaultDisclaimer,
    NewsroomSettings,
)
from .webhooks import events as webhooks

UID = "prism_news"

#: ``(signal, handler, sender, dispatch_uid)`` of every connection made.
CONNECTIONS = []


def own_page_models():
    """prism_news's page models, and any page model of the project made from one.

    Wagtail sends its page signals with the specific class as ``sender``, and
    Django its model signals with the concrete class saved or deleted.
    """
    return [model for model in get_page_models() if issubclass(model, OWN_PAGE_TYPES)]


def host_page_models():
    """Every other page model: the host's, and Wagtail's base ``Page``."""
    return [model for model in get_page_models() if not issubclass(model, OWN_PAGE_TYPES)]


def _connect(signal, handler, senders, name):
    for model in senders:
        uid = f"{UID}.{name}.{model._meta.label}"
        signal.connect(handler, sender=model, dispatch_uid=uid)
        CONNECTIONS.append((signal, handler, model, uid))


def unregister_signal_handlers():
    """Disconnect everything :func:`register_signal_handlers` connected (for tests, and
    for a project that must run without prism_news's handlers for a while)."""
    while CONNECTIONS:
        signal, handler, model, uid = CONNECTIONS.pop()
        signal.disconnect(handler, sender=model, dispatch_uid=uid)
    reference_index.release()
    search_index.release()


def register_signal_handlers():
    unregister_signal_handlers()  # however often ready() runs, each connection once
    own_pages = own_page_models()
    Image = get_image_model()

    # The publish gate (docs/provenance.md), before any row of our pages is written.
    _connect(pre_save, publish_gate.gate_page_save, own_pages, "gate")
    # Page.objects.get(pk=article.pk).save() writes an article's row through a generic
    # Page (Wagtail's own actions do so); the handler returns at once, without a
    # query, unless the row is one of ours.
    _connect(pre_save, publish_gate.gate_generic_page_save, [Page], "gate_generic")

    # Cache invalidation (docs/caching.md).
    _connect(page_published, caching.on_publish, own_pages, "cache.published")
    _connect(page_unpublished, caching.on_unpublish, own_pages, "cache.unpublished")
    _connect(post_page_move, caching.on_move, own_pages, "cache.moved")
    _connect(post_delete, caching.on_delete, own_pages, "cache.deleted")
    # Returns at once, without a query, unless the row saved is a new alias of an article.
    _connect(post_save, caching.on_alias_created, own_pages, "cache.alias_created")
    # The host's pages: a site's home page (of whatever type) is in every prism page's
    # masthead and language switcher, and prism pages may stand below a host page
    # that moves. The handlers return at once, without a query, for any other page.
    host_pages = host_page_models()
    _connect(page_published, caching.on_host_page_change, host_pages, "cache.host_published")
    _connect(page_unpublished, caching.on_host_page_change, host_pages, "cache.host_unpublished")
    _connect(post_delete, caching.on_host_page_change, host_pages, "cache.host_deleted")
    _connect(post_page_move, caching.on_host_page_move, host_pages, "cache.host_moved")
    # A view restriction on any page hides the prism pages below it too.
    _connect(post_save, caching.on_restriction, [PageViewRestriction], "cache.restricted")
    _connect(post_delete, caching.on_restriction, [PageViewRestriction], "cache.unrestricted")
    # A byline row written or removed (a publish writes them): the author pages listing it.
    _connect(post_save, caching.on_byline_row_change, [ArticlePageAuthor], "cache.byline_saved")
    _connect(post_delete, caching.on_byline_row_change, [ArticlePageAuthor], "cache.byline_deleted")
    _connect(post_save, caching.on_author_change, [Author], "cache.author_saved")
    _connect(post_delete, caching.on_author_change, [Author], "cache.author_deleted")
    settings_models = [NewsroomSettings, NewsroomDefaultDisclaimer]
    _connect(post_save, caching.on_settings_change, settings_models, "cache.settings_saved")
    _connect(post_delete, caching.on_settings_change, settings_models, "cache.settings_deleted")
    # A site's hostname, port and root page are in every prism page's URLs and masthead.
    _connect(post_save, caching.on_settings_change, [Site], "cache.site_saved")
    _connect(post_delete, caching.on_settings_change, [Site], "cache.site_deleted")
    # Any image may be an article's hero or body image (Wagtail has one image library).
    _connect(post_save, caching.on_image_change, [Image], "cache.image_saved")
    _connect(post_delete, caching.on_image_change, [Image], "cache.image_deleted")

    # Renditions made before readers ask for them (docs/caching.md).
    article_models = [model for model in own_pages if issubclass(model, ArticlePage)]
    _connect(page_published, renditions.on_publish, article_models, "renditions.published")
    # An image is uploaded before an editor picks it for an article: that is when its
    # renditions can be made without keeping a reader waiting.
    _connect(post_save, renditions.on_image_saved, [Image], "renditions.image_saved")

    # The copies of an article's live flag, locale and date on its tag rows, which the
    # related articles' fill reads (prism_news.related). Wagtail unpublishes an alias
    # through a generic Page: that handler returns at once, without a query, unless
    # the row is an article's.
    _connect(post_save, related.on_page_saved, article_models, "related.article_saved")
    _connect(post_save, related.on_page_saved, [Page], "related.page_saved")

    # The listing totals kept per section and locale (prism_news.listing_counts),
    # recounted in the transaction of each change that can alter them. The generic
    # Page handlers return at once, without a query, unless the row is an article's.
    _connect(post_save, listing_counts.on_page_saved, article_models, "counts.article_saved")
    _connect(post_save, listing_counts.on_page_saved, [Page], "counts.page_saved")
    _connect(post_delete, listing_counts.on_page_deleted, article_models, "counts.deleted")
    # A page moved with articles below it may take them under (or out of) a view
    # restriction; the handler returns at once for a page without children.
    _connect(post_page_move, listing_counts.on_article_moved, get_page_models(), "counts.moved")
    _connect(post_save, listing_counts.on_restriction, [PageViewRestriction], "counts.restricted")
    # A database from before the counts (or restored without them) gets them after migrate.
    app, uid = apps.get_app_config("prism_news"), f"{UID}.counts.migrated"
    post_migrate.connect(listing_counts.on_migrated, sender=app, dispatch_uid=uid)
    CONNECTIONS.append((post_migrate, listing_counts.on_migrated, app, uid))
    _connect(
        post_delete, listing_counts.on_restriction, [PageViewRestriction], "counts.unrestricted"
    )

    # Wagtail's reference index: an article's authors and pins through their page, not a
    # task per row (rows that wagtail-localize replaces would fail it in the worker).
    rows = reference_index.row_models(own_pages)
    reference_index.take_over(rows)
    _connect(post_save, reference_index.on_row_changed, rows, "references.row_saved")
    _connect(post_delete, reference_index.on_row_changed, rows, "references.row_deleted")

    # The search index (docs/search.md): a task of prism_news's own per saved page, which
    # tolerates a page deleted meanwhile and tries again when a backend is unreachable.
    indexed_pages = search_index.take_over(own_pages)
    _connect(post_save, search_index.on_page_saved, indexed_pages, "search.saved")
    _connect(post_delete, search_index.on_page_deleted, indexed_pages, "search.deleted")

    # Webhooks (docs/webhooks.md): prism_news's pages and its review task.
    _connect(page_published, webhooks.on_page_published, own_pages, "webhooks.published")
    _connect(page_unpublished, webhooks.on_page_unpublished, own_pages, "webhooks.unpublished")
    _connect(pre_delete, webhooks.on_page_deleted, own_pages, "webhooks.deleted")
    _connect(post_page_move, webhooks.on_post_page_move, own_pages, "webhooks.moved")
    # Wagtail sends the task signals with the task *state*'s class as sender, and every
    # task type's state is a TaskState: the handler asks the task's type first and
    # does nothing more for the host's tasks.
    _connect(task_approved, webhooks.on_task_approved, [TaskState], "webhooks.approved")
    _connect(task_rejected, webhooks.on_task_rejected, [TaskState], "webhooks.rejected")
