"""HTML pages under the same visibility rule as the API.

Wagtail serves any live page and leaves expiry to its ``publish_scheduled``
command; here a page past its ``expire_at``, or an alias of a page readers may
not see, is a 404 at once, whatever cron does. View restrictions stay Wagtail's
own (its password form and login redirect), since an HTML reader may legitimately
pass them. Rich-text links go through :class:`prism_news.links.VisiblePageLinkHandler`.

The hooks are registered by ``PrismNewsConfig.ready()``: they belong to the
read-side rule in ``models.querysets`` rather than to the admin's hooks.
"""

from django.http import Http404
from wagtail import hooks

from .caching import depends_on_pages, mark_cacheable
from .links import VisiblePageLinkHandler


def is_servable(page):
    """Not expired and, for an alias, its original visible: ``visible_q`` less the view
    restrictions, which Wagtail checks when serving. No query for an ordinary page."""
    if page.expire_at is None and page.alias_of_id is None:
        return True
    from wagtail.models import Page

    from .models.querysets import original_visible_q, published_q

    return Page.objects.filter(published_q(), original_visible_q(), pk=page.pk).exists()


def refuse_hidden_pages(page, request, serve_args, serve_kwargs):
    if not is_servable(page):
        raise Http404
    # The same page for every reader: the response cache may keep it (a view
    # restriction makes Wagtail read the session, which keeps it out).
    depends_on_pages([page])
    mark_cacheable()


def use_visible_page_links(features):
    features.register_link_type(VisiblePageLinkHandler)


def register():
    # Before Wagtail's own checks; and after Wagtail's core features, whose page
    # link handler this one replaces.
    hooks.register("before_serve_page", refuse_hidden_pages, order=-100)
    hooks.register("register_rich_text_features", use_visible_page_links, order=100)
