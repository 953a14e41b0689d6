"""What a page tells search engines and social networks: canonical URL, Open Graph,
Twitter card and, for articles, schema.org ``NewsArticle`` JSON-LD.

The JSON-LD is the API's ``json_ld`` (``prism_news.representations.article``), not a
second builder. Everything is in the page's own language.
"""

import html
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import to_locale
from wagtail.fields import RichTextField

from .conf import get_settings
from .models import ArticlePage
from .representations.article import json_ld
from .representations.common import iso, tags
from .representations.corrections import date_modified
from .translation import live_translations

# Inside <script> the HTML parser only looks for "</script" and "<!--": with every
# "<" (and ">", "&") written as a JSON escape, no string can end the element.
# U+2028/2029 are escaped too for consumers that read the JSON as JavaScript.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(data):
    """``data`` as JSON that is safe to put between ``<script>`` tags."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308  (escaped above)


def open_graph_locale(language_code):
    locales = get_settings()["OPEN_GRAPH_LOCALES"]
    return locales.get(language_code) or to_locale(language_code)


def description(page):
    """A one or two sentence description of any page, as plain text."""
    text = page.search_description or getattr(page, "summary", "") or ""
    text = text or getattr(page, "short_text", "") or ""
    if not text and getattr(page, "intro", ""):
        text = page.intro
        if isinstance(page._meta.get_field("intro"), RichTextField):
            # Paragraphs end in a space, not in the next paragraph's first word.
            text = html.unescape(strip_tags(re.sub(r"(</p>|<br\s*/?>)", r"\1 ", text)))
    return Truncator(" ".join(text.split())).chars(300)


def social_image(article):
    """The hero rendition for social cards: the widest of the structured-data
    renditions (16:9 by default), so the JSON-LD and the cards share renditions."""
    if article.hero_image is None:
        return None
    specs = get_settings()["JSON_LD_IMAGE_RENDITIONS"]
    renditions = article.hero_image.get_renditions(*specs) if specs else {}
    if not renditions:
        return None
    rendition = max(renditions.values(), key=lambda r: r.width / r.height)
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": article.hero_image_alt,
    }


def page_metadata(page, request=None, chrome=None):
    """Everything the ``<head>`` says about ``page`` (see prism_news/includes/meta.html)."""
    language = page.locale.language_code
    canonical = page.get_full_url(request)
    meta = {
        "canonical": canonical,
        "title": page.seo_title or page.title,
        "description": description(page),
        "type": "website",
        "locale": open_graph_locale(language),
        "alternate_locales": [
            open_graph_locale(other.locale.language_code) for other in live_translations(page)
        ]
        if page.pk
        else [],
        "site_name": chrome.site_name if chrome else "",
        "image": None,
        "json_ld": None,
    }
    if isinstance(page, ArticlePage):
        if page.pk and not getattr(request, "is_preview", False):
            # The tags here, the JSON-LD and the Source block read these: fetch them
            # once. (A preview keeps the editor's unsaved sources and tags in memory.)
            lookups = {"tagged_items": "tagged_items__tag", "sources": "sources"}
            cached = getattr(page, "_prefetched_objects_cache", {})
            missing = [lookup for name, lookup in lookups.items() if name not in cached]
            prefetch_related_objects([page], *missing)
        meta["type"] = "article"
        meta["image"] = social_image(page)
        meta["published"] = iso(page.published_at)
        meta["modified"] = iso(date_modified(page))
        meta["section"] = page.category.title if page.category else ""
        meta["tags"] = tags(page)
        if page.pk:
            meta["json_ld"] = json_for_script(json_ld(page))
    return meta
