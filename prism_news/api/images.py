"""Which images the public API lists: those a reader may already see on a page.

An image is public on a site when

- a page of that site that readers may see (``visible_q``: live, not expired, not
  view-restricted, and so on) uses it in its published content: an article's hero,
  an image block of its body, an image in rich text, or an image field of any page
  type, the host's too; or
- it is the site's publisher logo (``NewsroomSettings``), which every page shows.

Anything else (a draft or embargoed story's hero, an image only a view-restricted
page uses, an image no page uses yet, an author's photo, which no page shows) is
not listed, and its detail is a 404.

Which page uses which image is Wagtail's reference index (``ReferenceIndex``). It
indexes a page's row, which for a live page is its published version (drafts live
in revisions), so a draft's new images are not "used" until it is published.
Wagtail updates the index in a background task; article heroes are read from the
article rows as well, so they follow publication at once even while the task waits.

v2's images endpoint (prism_news's own) lists public images only. v3's is
Wagtail's, shared with the host (``api.v3``): there prism_news only leaves out the
images that prism_news pages hidden from readers use and that no visible page
uses, and the heroes of articles' unpublished drafts (their body images wait for the
draft's publication only on v2), unless the host turns on ``API_V3_CHECK_ALL_ENDPOINTS``,
which applies v2's rule.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from ..models import ArticlePage, NewsroomSettings
from ..visibility import visible_q
from .public import site_pages

APP_LABEL = "prism_news"


def used_by(pages):
    """A condition on images: used by the rows of ``pages`` (a queryset of pages)."""
    image_model = get_image_model()
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(image_model),
        object_id__in=pages.annotate(as_text=Cast("pk", CharField())).values("as_text"),
    ).values("to_object_id")
    heroes = ArticlePage.objects.filter(pk__in=pages.values("pk"), hero_image__isnull=False).values(
        "hero_image_id"
    )
    # The index keeps ids as text, whatever the image model's key is.
    return Q(pk__in=heroes) | Q(as_reference__in=references)


def _image_ids(condition):
    """The ids of the images meeting ``condition``, as a subquery (``pk__in``, which
    search backends can read; the outer queryset carries no annotation)."""
    images = get_image_model().objects.annotate(as_reference=Cast("pk", CharField()))
    return images.filter(condition).values("pk")


def public_images(queryset, site):
    """``queryset`` (of images) narrowed to those readers may see on ``site``."""
    if site is None:
        return queryset.none()
    logos = NewsroomSettings.objects.filter(site=site, publisher_logo__isnull=False)
    return queryset.filter(
        pk__in=_image_ids(used_by(site_pages(site)) | Q(pk__in=logos.values("publisher_logo_id")))
    )


def draft_heroes():
    """A condition on images: the hero of an article's draft not published yet (the
    latest revision of an article with unpublished changes), which the page row, and so
    the reference index, does not show."""
    drafts = Revision.objects.filter(
        pk__in=ArticlePage.objects.filter(has_unpublished_changes=True).values("latest_revision_id")
    ).annotate(hero=Cast(KeyTextTransform("hero_image", "content"), IntegerField()))
    return Q(pk__in=drafts.filter(hero__isnull=False).values("hero"))


def without_hidden_prism_images(queryset):
    """``queryset`` (of images) without those that prism_news pages hidden from readers
    use, or an article's unpublished draft uses as its hero, and no visible page (of
    any site) uses; other images untouched."""
    hidden_pages = Page.objects.filter(content_type__app_label=APP_LABEL).exclude(visible_q())
    visible_pages = Page.objects.filter(visible_q())
    logos = NewsroomSettings.objects.filter(publisher_logo__isnull=False)
    shown = used_by(visible_pages) | Q(pk__in=logos.values("publisher_logo_id"))
    return queryset.exclude(pk__in=_image_ids((used_by(hidden_pages) | draft_heroes()) & ~shown))
