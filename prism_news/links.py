"""Links to pages in rich text: only ever to pages readers may see.

A link keeps its text wherever it points; it gets an ``href`` only when the
linked page, or its translation in the reader's language, passes ``visible_q``.
The API's body representation (``prism_news.loading.body_context``) and the HTML
rendering (``prism_news.serving.VisiblePageLinkHandler``) both decide here, in two
queries for all the links of a text.
"""

from wagtail.models import Page

from .caching import depends_on, page_tag
from .visibility import visible_q


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
