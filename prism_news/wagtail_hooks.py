from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_publishing, admin_translation_review, markup, page_serving
from .admin_listings import ArticleListingViewSet, ReviewQueueViewSet
from .models import Author
from .webhooks.admin import WebhookDeliveryViewSet, WebhookEndpointViewSet


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "role", "locale"]
    search_fields = ["name", "role"]


register_snippet(AuthorViewSet)


# The publishing gate in the admin (the model refuses anyway; these explain why).
hooks.register("before_publish_page", admin_publishing.refuse_blocked_publication)
# Before wagtail-localize's own before_edit_page hook, which takes over the editor: its
# Publish, and the review notice's buttons.
hooks.register("before_edit_page", admin_translation_review.answer_translation_editor, order=-10)
hooks.register("after_copy_page", admin_publishing.explain_unpublished_copy)
hooks.register("after_edit_page", admin_publishing.say_what_the_review_did)
hooks.register("before_create_page", admin_publishing.explain_autosaved_draft)
# After Wagtail's own registration, which this replaces for pages.
hooks.register("register_bulk_action", admin_publishing.GatedPublishBulkAction, order=10)
hooks.register("register_log_actions", admin_publishing.register_log_actions)
hooks.register("register_rich_text_features", markup.register_inline_rules)

# prism_news's pages served under the read-side rule (docs/frontend.md): before Wagtail's own
# checks. The page-link handler replaces Wagtail's, after Wagtail's core features, only when
# REPLACE_PAGE_LINK_HANDLER asks.
hooks.register("before_serve_page", page_serving.refuse_hidden_pages, order=-100)
hooks.register("register_rich_text_features", page_serving.use_visible_page_links, order=100)


@hooks.register("construct_homepage_panels")
def add_overdue_scheduled_panel(request, panels):
    panels.append(admin_publishing.OverdueScheduledPanel())


@hooks.register("register_admin_viewset")
def register_article_listings():
    return [ArticleListingViewSet(), ReviewQueueViewSet()]


@hooks.register("register_admin_viewset")
def register_webhook_views():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]
