"""HTML pages under the same visibility rule as the API.

Wagtail serves any live page and leaves expiry to its ``publish_scheduled``
command; here a page past its ``expire_at``, or an alias of a page readers may
not see, is a 404 at once, whatever cron does. View restrictions stay Wagtail's
own (its password form and login redirect), since an HTML reader may legitimately
pass them. Rich-text links go through :class:`VisiblePageLinkHandler`.

The hooks are registered by ``PrismNewsConfig.ready()``: they belong to the
read-side rule in ``prism_news.visibility`` rather than to the admin's hooks.
"""

from django.http import Http404
from django.utils.html import escape
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from .caching import depends_on_pages, mark_cacheable
from .links import link_targets
from .visibility import original_visible_q, published_q


def is_servable(page):
    """Not expired and, for an alias, its original visible: ``visible_q`` less the view
    restrictions, which Wagtail checks when serving. No query for an ordinary page."""
    if page.expire_at is None and page.alias_of_id is None:
        return True
    return Page.objects.filter(published_q(), original_visible_q(), pk=page.pk).exists()


def refuse_hidden_pages(page, request, serve_args, serve_kwargs):
    if not is_servable(page):
        raise Http404
    # The same page for every reader: the response cache may keep it (a view
    # restriction makes Wagtail read the session, which keeps it out).
    depends_on_pages([page])
    mark_cacheable()


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


def use_visible_page_links(features):
    features.register_link_type(VisiblePageLinkHandler)


def register():
    # Before Wagtail's own checks; and after Wagtail's core features, whose page
    # link handler this one replaces.
    hooks.register("before_serve_page", refuse_hidden_pages, order=-100)
    hooks.register("register_rich_text_features", use_visible_page_links, order=100)
