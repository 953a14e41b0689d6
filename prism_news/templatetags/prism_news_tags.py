from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_supported_language_variant
from wagtail.rich_text import RichText

from ..metadata import page_metadata
from ..navigation import site_chrome
from ..representations.card import CARD
from ..representations.common import html_datetime
from ..rich_text_links import VisibleRichText
from ..translation import live_translations

register = template.Library()


@register.inclusion_tag("prism_news/includes/alternates.html", takes_context=True)
def prism_alternates(context, page):
    """``<link rel="alternate" hreflang>`` for the page and its live translations,
    with ``x-default`` on the default language's version."""
    request = context.get("request")
    versions = [page, *live_translations(page)] if page.pk else [page]
    if len(versions) < 2:
        return {"alternates": []}
    default_language = get_supported_language_variant(settings.LANGUAGE_CODE)
    alternates = []
    for version in versions:
        url = version.get_full_url(request)
        language = version.locale.language_code
        alternates.append({"hreflang": language, "url": url})
        if language == default_language:
            alternates.append({"hreflang": "x-default", "url": url})
    return {"alternates": alternates}


@register.simple_tag(takes_context=True)
def prism_chrome(context, page=None):
    """The header and footer data for ``page``: ``{% prism_chrome page as chrome %}``."""
    return site_chrome(page or None, context.get("request"))


@register.inclusion_tag("prism_news/includes/meta.html", takes_context=True)
def prism_meta(context, page, chrome=None):
    """Canonical link, Open Graph, Twitter card and (articles) NewsArticle JSON-LD."""
    meta = page_metadata(page, context.get("request"), chrome)
    listing = context.get("articles")
    number = getattr(listing, "number", 1)
    if number > 1:  # each page of a listing is its own canonical page
        meta["canonical"] = f"{meta['canonical']}?page={number}"
    return {"meta": meta}


@register.simple_tag
def prism_card_image(
    article, sizes="(min-width: 60em) 24rem, (min-width: 40em) 50vw, 100vw", priority=False
):
    """The card's hero image with every card rendition in ``srcset``.

    Images load lazily, except with ``priority=True``: the page's largest image (the
    home page's lead story), which the browser should fetch first, not last.

    The renditions are the card's (``prism_news.representations.card.CARD``, from the
    ``API_CARD_RENDITIONS`` setting), which ``prepare_cards`` fetched for the whole
    listing, so a card adds no query.
    """
    if article.hero_image is None:
        return ""
    return responsive_image(
        article.hero_image, CARD.rendition_specs(), sizes, article.hero_image_alt, priority
    )


@register.simple_tag
def prism_hero_image(page, sizes="(min-width: 68rem) 64rem, 100vw"):
    """The article's hero image, fetched first (it is the page's largest)."""
    if page.hero_image is None:
        return ""
    specs = ("width-640", "width-960", "width-1600")
    return responsive_image(page.hero_image, specs, sizes, page.hero_image_alt, priority=True)


def responsive_image(image, specs, sizes, alt, priority=False):
    """``<img>`` with the renditions in ``srcset``, one per width: a source narrower
    than a spec is not upscaled, so two specs can give the same width, which HTML
    does not allow twice in one ``srcset`` (Wagtail's ``srcset_image`` repeats it)."""
    by_width = {}
    for rendition in sorted(image.get_renditions(*specs).values(), key=lambda r: r.width):
        by_width.setdefault(rendition.width, rendition)
    if not by_width:
        return ""
    renditions = list(by_width.values())
    smallest = renditions[0]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}>',
        smallest.url,
        ", ".join(f"{r.url} {r.width}w" for r in renditions),
        sizes,
        smallest.width,
        smallest.height,
        alt,
        mark_safe('fetchpriority="high"' if priority else 'loading="lazy"'),
    )


@register.filter
def prism_datetime(value):
    """A date or time for ``<time datetime="...">``: ``{{ page.published_at|prism_datetime }}``
    (Django's ``|date:'c'`` keeps microseconds, which HTML does not allow)."""
    return html_datetime(value)


@register.filter
def prism_richtext(value):
    """``{{ page.intro|prism_richtext }}``: Wagtail's ``richtext`` filter for prism_news's
    rich text fields, with page links only to pages readers may see
    (``prism_news.rich_text_links``)."""
    if isinstance(value, RichText):
        value = value.source
    return VisibleRichText(value)
