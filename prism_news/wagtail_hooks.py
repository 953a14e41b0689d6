from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author
from .publishing import PUBLISH_REFUSED, publish_blockers


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "role", "locale"]
    search_fields = ["name", "role"]


register_snippet(AuthorViewSet)


@hooks.register("before_publish_page")
def refuse_blocked_publication(request, page):
    """Say in the admin why a page cannot go live (the model refuses it anyway)."""
    reasons = publish_blockers(page)
    if reasons:
        messages.error(
            request,
            PUBLISH_REFUSED
            % {"title": page.get_admin_display_title(), "reasons": " ".join(reasons)},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_viewset")
def register_article_listings():
    from .admin_views import ArticleListingViewSet, ReviewQueueViewSet

    return [ArticleListingViewSet(), ReviewQueueViewSet()]
