"""What each change invalidates (the dependency rule of docs/caching.md, from the writer's side).

The handlers; ``prism_news.signal_handlers`` connects each to the models it concerns.
"""

from wagtail.models import Page

from ..models import ArticlePage, ArticlePageAuthor, Author
from .dependencies import EVERY_SITEMAP, byline_tag, page_tag, sitemap_tag
from .invalidation import invalidate


def sitemap_tags(page):
    """The sitemaps that list ``page`` or name it as an alternate: its language's and
    those of its translations (one query)."""
    versions = Page.objects.filter(translation_key=page.translation_key)
    locales = {page.locale_id, *versions.values_list("locale_id", flat=True)}
    return {sitemap_tag(pk) for pk in locales if pk is not None}


def page_change_tags(page, parents=()):
    """Tags to invalidate when ``page`` appears, disappears or changes for readers."""
    tags = {page_tag(page.pk), f"tkey:{page.translation_key}", *sitemap_tags(page)}
    specific = page.specific_deferred
    if isinstance(specific, ArticlePage):
        language = specific.locale.language_code if specific.locale_id else ""
        tags |= {"members", f"members:{language}"}
        tags |= {f"section:{path}" for path in {page.path[: -page.steplen], *parents}}
        tag_ids = specific.tagged_items.values_list("tag_id", flat=True)
        tags |= {f"tag:{page.locale_id}:{pk}" for pk in tag_ids}
        tags |= byline_tags(page.pk)
    else:  # sections, policy pages, home pages: the masthead and footer show them
        tags |= {"nav", "members"}
    return tags


def byline_tags(page_id):
    """The author pages that list (or may list) the article: ``byline:<key>`` of each
    author its byline names (one query)."""
    keys = ArticlePageAuthor.objects.filter(page_id=page_id).values_list(
        "author__translation_key", flat=True
    )
    return {byline_tag(key) for key in keys}


# --- prism_news's pages


def on_publish(sender, instance, **kwargs):
    invalidate(page_change_tags(instance))


def on_unpublish(sender, instance, **kwargs):
    invalidate(page_change_tags(instance))


def on_alias_created(sender, instance, created=False, **kwargs):
    """An alias of an article joins the listings without a publish (Wagtail sends none
    for it). Aliases of sections made while translating (wagtail-localize) are left as
    before: what shows them follows their original's publishes."""
    if created and instance.alias_of_id is not None and isinstance(instance, ArticlePage):
        invalidate(page_change_tags(instance))


def on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    tags = page_change_tags(instance, parents=(parent_page_before.path, parent_page_after.path))
    # The pages below moved too (their URLs changed).
    tags |= {page_tag(pk) for pk in instance.get_descendants().values_list("pk", flat=True)}
    invalidate(tags | {EVERY_SITEMAP})


def on_delete(sender, instance, **kwargs):
    invalidate(page_change_tags(instance))


# --- The host's pages, where prism_news's pages show them or stand below them


def is_home(page):
    """A site's home page or a translation of it: a child of the tree's root, as Wagtail
    makes them. The masthead, the language switcher and the feeds show it."""
    return page.depth == 2


def on_host_page_change(sender, instance, **kwargs):
    """Published, unpublished or deleted: only a home page concerns prism_news (and the
    sitemaps, which list it). Any other host page runs nothing of prism_news's
    (tests/test_guest.py): the sitemaps notice it within ``RESPONSE_CACHE_TIMEOUT``
    (docs/caching.md)."""
    if is_home(instance):
        tags = {page_tag(instance.pk), f"tkey:{instance.translation_key}", "nav", "members"}
        invalidate(tags | {EVERY_SITEMAP})


def on_host_page_move(sender, instance, **kwargs):
    """A host page moved with prism_news's pages below it moves their URLs too."""
    if instance.numchild or is_home(instance):
        pages = instance.get_descendants(inclusive=True).values_list("pk", flat=True)
        tags = {page_tag(pk) for pk in pages} | {f"tkey:{instance.translation_key}"}
        invalidate(tags | {"nav", "members"} | {EVERY_SITEMAP})


# --- What hides pages, and what every page shows


def on_restriction(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    pages = page.get_descendants(inclusive=True)
    tags = {page_tag(pk) for pk in pages.values_list("pk", flat=True)}
    tags |= {"members", "nav", f"members:{page.locale.language_code}"} | {EVERY_SITEMAP}
    invalidate(tags)


def on_byline_row_change(sender, instance, **kwargs):
    """An author added to or removed from an article's byline (a publish writes the
    rows; a row removed is how an author page learns the article left it)."""
    key = Author.objects.filter(pk=instance.author_id).values_list("translation_key").first()
    if key is not None:
        invalidate({byline_tag(key[0])})


def on_author_change(sender, instance, **kwargs):
    invalidate({f"author:{instance.translation_key}"})


def on_settings_change(sender, instance, **kwargs):
    invalidate({"settings", "nav"})


def on_image_change(sender, instance, created=False, **kwargs):
    if not created:  # a new image is on no page yet
        invalidate({f"image:{instance.pk}"})
