"""Links to pages in rich text: only ever to pages readers may see.

A link keeps its text wherever it points; it gets an ``href`` only when the
linked page, or its translation in the reader's language, passes ``visible_q``.
The API's body representation (``prism_news.representations.prefetch.body_context``) and the HTML
rendering (:class:`VisibleRichText`, :func:`expand_rich_text`) both decide here,
in two queries for all the links of a text.

This is prism_news's own rich text only (its body blocks and fields): the host's
rich text keeps Wagtail's page link handler unless
``PRISM_NEWS["REPLACE_PAGE_LINK_HANDLER"]`` asks for
``prism_news.page_serving.VisiblePageLinkHandler`` everywhere.
"""

import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page
from wagtail.rich_text import RichText, expand_db_html

from .caching import depends_on, page_tag
from .visibility import visible_q

# A page link as Wagtail stores it: <a linktype="page" id="12">.
_PAGE_LINK = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*>')
_ID = re.compile(r'\bid="(\d+)"')


def _link_id(tag):
    found = _ID.search(tag)
    return int(found.group(1)) if found else None


def page_link_ids(source):
    """The ids of the pages that a rich text source links to."""
    for tag in _PAGE_LINK.findall(source):
        pk = _link_id(tag)
        if pk is not None:
            yield pk


def link_targets(ids, prefer):
    """``{id: page}`` for each of ``ids``: the page a link to it should point at, or ``None``.

    Among the visible versions of the linked page (itself and its translations),
    the one ``prefer(page)`` is true for wins; otherwise the linked page itself
    if readers may see it.
    """
    ids = set(ids)
    if not ids:
        return {}
    keys = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    # Whether a link has an href changes with any version of the linked page.
    depends_on(*(f"tkey:{key}" for key in set(keys.values())), *(page_tag(pk) for pk in ids))
    visible = Page.objects.filter(visible_q(), translation_key__in=set(keys.values()))
    by_key = {}
    for page in visible.select_related("locale"):
        preferred = bool(prefer(page))
        if preferred or page.pk in ids:
            by_key.setdefault(page.translation_key, {})[preferred] = page
    targets = {}
    for pk, key in keys.items():
        choices = by_key.get(key, {})
        targets[pk] = choices.get(True) or choices.get(False)
    return targets


def _active_language():
    try:
        return get_supported_content_language_variant(get_language())
    except LookupError:
        return None


def visible_link_urls(ids):
    """``{id: url or None}``: where a link to each page points for the reader now (the
    linked page's version in the active language when there is one)."""
    language = _active_language()
    targets = link_targets(ids, prefer=lambda page: page.locale.language_code == language)
    return {pk: page.get_url() if page is not None else None for pk, page in targets.items()}


def link_tag(url):
    """The opening tag of a page link: with an ``href``, or none for a hidden page."""
    return f'<a href="{escape(url)}">' if url else "<a>"


def expand_rich_text(source, links=None):
    """Display HTML of prism_news's rich text: Wagtail's ``expand_db_html`` (every
    other link and embed type as registered), with page links resolved here first.

    ``rich_text_links`` is ``{page id: url or None}`` when the caller resolved them already
    (``prism_news.representations.prefetch.body_context``); otherwise they point at what the active
    language's reader may see (:func:`visible_link_urls`).
    """
    source = source or ""
    if links is None:
        links = visible_link_urls(page_link_ids(source))

    def replace(match):
        pk = _link_id(match.group(0))
        return link_tag(links.get(pk) if pk is not None else None)

    return expand_db_html(_PAGE_LINK.sub(replace, source))


class VisibleRichText(RichText):
    """A ``RichText`` that renders its page links through :func:`expand_rich_text`:
    the value of prism_news's paragraph blocks, and what ``{{ value|prism_richtext }}``
    renders for its rich text fields."""

    def __html__(self):
        return render_to_string(
            "wagtailcore/shared/richtext.html", {"html": expand_rich_text(self.source)}
        )

    def __str__(self):
        return mark_safe(self.__html__())  # noqa: S308 - expanded from the stored rich text
