"""HTML pages under the same visibility rule as the API.

Wagtail serves any live page and leaves expiry to its ``publish_scheduled``
command; here a prism_news page past its ``expire_at``, or an alias of a page
readers may not see, is a 404 at once, whatever cron does. View restrictions stay
Wagtail's own (its password form and login redirect), since an HTML reader may
legitimately pass them.

A guest in the host's site, the rule covers prism_news's own page types (and
aliases of them); ``PRISM_NEWS["SERVE_RULES_FOR_ALL_PAGES"]`` extends it to every
page. Likewise rich-text page links: prism_news's own rich text renders them
through ``prism_news.rich_text_links``; ``PRISM_NEWS["REPLACE_PAGE_LINK_HANDLER"]`` makes
:class:`VisiblePageLinkHandler` Wagtail's page link handler for all rich text.

``wagtail_hooks.py`` registers both hooks, as it registers every Wagtail hook of
prism_news.
"""

from django.http import Http404
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from .caching import depends_on_pages, mark_cacheable
from .conf import get_settings
from .models import OWN_PAGE_TYPES
from .rich_text_links import link_tag, visible_link_urls
from .visibility import original_visible_q, published_q


def is_servable(page):
    """Not expired and, for an alias, its original visible: ``visible_q`` less the view
    restrictions, which Wagtail checks when serving. No query for an ordinary page."""
    if page.expire_at is None and page.alias_of_id is None:
        return True
    return Page.objects.filter(published_q(), original_visible_q(), pk=page.pk).exists()


def refuse_hidden_pages(page, request, serve_args, serve_kwargs):
    own = isinstance(page, OWN_PAGE_TYPES)  # an alias has its original's type
    if not own and not get_settings()["SERVE_RULES_FOR_ALL_PAGES"]:
        return
    if not is_servable(page):
        raise Http404
    if own:
        # The same page for every reader: the response cache may keep it (a view
        # restriction makes Wagtail read the session, which keeps it out), under the
        # query parameters the page type reads (``cache_parameters``; any other is
        # left out of the key). A host page opts in itself (``mark_cacheable()``),
        # as the invalidation rules of docs/caching.md must know what it shows.
        depends_on_pages([page])
        mark_cacheable(parameters=getattr(page, "cache_parameters", ()))


def _page_id(attrs):
    value = str(attrs.get("id", ""))
    return int(value) if value.isdecimal() and value.isascii() else None


class VisiblePageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler, for pages readers may see only.

    As Wagtail's, it points at the linked page's version in the active language
    when there is one; a link to a page readers may not see (a draft, an expired or
    restricted page) keeps its text and loses its ``href``. Registered for all rich
    text only with ``PRISM_NEWS["REPLACE_PAGE_LINK_HANDLER"]``.
    """

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        ids = [_page_id(attrs) for attrs in attrs_list]
        urls = visible_link_urls([pk for pk in ids if pk is not None])
        return [link_tag(urls.get(pk)) for pk in ids]


def use_visible_page_links(features):
    if get_settings()["REPLACE_PAGE_LINK_HANDLER"]:
        features.register_link_type(VisiblePageLinkHandler)
