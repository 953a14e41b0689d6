"""What each change invalidates (the dependency rule of docs/caching.md, from the writer's side)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from ..models import ArticlePage, Author, NewsroomDefaultDisclaimer, NewsroomSettings
from .dependencies import page_tag
from .invalidation import invalidate


def page_change_tags(page, parents=()):
    """Tags to invalidate when ``page`` appears, disappears or changes for readers."""
    tags = {page_tag(page.pk), f"tkey:{page.translation_key}"}
    specific = page.specific_deferred
    if isinstance(specific, ArticlePage):
        language = specific.locale.language_code if specific.locale_id else ""
        tags |= {"members", f"members:{language}"}
        tags |= {f"section:{path}" for path in {page.path[: -page.steplen], *parents}}
        tag_ids = specific.tagged_items.values_list("tag_id", flat=True)
        tags |= {f"tag:{page.locale_id}:{pk}" for pk in tag_ids}
    else:  # sections, policy pages, home pages: the masthead and footer show them
        tags |= {"nav", "members"}
    return tags


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    invalidate(page_change_tags(instance))


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    invalidate(page_change_tags(instance))


@receiver(post_page_move)
def on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    tags = page_change_tags(instance, parents=(parent_page_before.path, parent_page_after.path))
    # The pages below moved too (their URLs changed).
    tags |= {page_tag(pk) for pk in instance.get_descendants().values_list("pk", flat=True)}
    invalidate(tags)


@receiver(post_delete)
def on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is not Page:
        invalidate(page_change_tags(instance))
    elif isinstance(instance, get_image_model()):
        invalidate({f"image:{instance.pk}"})


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_restriction(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    pages = page.get_descendants(inclusive=True)
    tags = {page_tag(pk) for pk in pages.values_list("pk", flat=True)}
    invalidate(tags | {"members", "nav"} | {f"members:{page.locale.language_code}"})


@receiver(post_save)
def on_save(sender, instance, created=False, **kwargs):
    if isinstance(instance, Author):
        invalidate({f"author:{instance.translation_key}"})
    elif isinstance(instance, NewsroomSettings | NewsroomDefaultDisclaimer | Site):
        invalidate({"settings", "nav"})
    elif isinstance(instance, get_image_model()) and not created:
        invalidate({f"image:{instance.pk}"})


@receiver(post_delete)
def on_other_delete(sender, instance, **kwargs):
    if isinstance(instance, Author):
        invalidate({f"author:{instance.translation_key}"})
    elif isinstance(instance, NewsroomDefaultDisclaimer | Site):
        invalidate({"settings", "nav"})
