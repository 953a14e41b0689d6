"""Links to pages in rich text: only ever to pages readers may see.

A link keeps its text wherever it points; it gets an ``href`` only when the
linked page, or its translation in the reader's language, passes ``visible_q``.
The API's body representation and the HTML rendering (through
:class:`VisiblePageLinkHandler`) both decide here, in two queries for all the
links of a text.
"""

from django.utils.html import escape
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.rich_text.pages import PageLinkHandler


def link_targets(ids, prefer):
    """``{id: page}`` for each of ``ids``: the page a link to it should point at, or ``None``.

    Among the visible versions of the linked page (itself and its translations),
    the one ``prefer(page)`` is true for wins; otherwise the linked page itself
    if readers may see it.
    """
    from wagtail.models import Page

    from .caching import depends_on, page_tag
    from .models.querysets import visible_q

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


def _page_id(attrs):
    value = str(attrs.get("id", ""))
    return int(value) if value.isdecimal() and value.isascii() else None


class VisiblePageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler, for pages readers may see only.

    As Wagtail's, it points at the linked page's version in the active language
    when there is one; a link to a page readers may not see (a draft, an expired or
    restricted page) keeps its text and loses its ``href``.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        language = _active_language()
        ids = [_page_id(attrs) for attrs in attrs_list]
        targets = link_targets(
            [pk for pk in ids if pk is not None],
            prefer=lambda page: page.locale.language_code == language,
        )
        tags = []
        for pk in ids:
            page = targets.get(pk)
            url = page.get_url() if page is not None else None
            tags.append(f'<a href="{escape(url)}">' if url else "<a>")
        return tags
