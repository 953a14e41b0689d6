"""Admin listings: articles with their AI badge and review state, and the review queue."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Locale, TaskState

from . import ai_review
from .ai_involvement import REVIEW_REQUIRED, badge_label
from .ai_review import ReviewState
from .models import AIReviewTask, ArticlePage, CategoryIndexPage

ARTICLE_COLUMNS = [
    *IndexView.base_columns,
    # In the editor's language (readers see the badge in the article's).
    Column(
        "ai_badge",
        label=_("AI"),
        width="12%",
        accessor=lambda page: badge_label(page.ai_involvement),
    ),
    Column("review_state", label=_("Review"), width="16%"),
]


class ArticleFilterSet(WagtailFilterSet):
    # By language code, as Wagtail's own page listings take ?locale=.
    locale = django_filters.ChoiceFilter(
        label=_("Locale"),
        field_name="locale__language_code",
        choices=lambda: [
            (loc.language_code, loc.get_display_name()) for loc in Locale.objects.all()
        ],
        empty_label=_("All"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=CategoryIndexPage.objects.all(),
        method="filter_category",
        empty_label=_("All"),
    )
    ai_involvement = django_filters.ChoiceFilter(
        label=_("AI involvement"), choices=ArticlePage._meta.get_field("ai_involvement").choices
    )

    class Meta:
        model = ArticlePage
        fields = ["locale", "category", "ai_involvement"]

    def filter_category(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset


class ArticleIndexView(IndexView):
    # Wagtail's "Add %(model_name)s" reads "記事 を追加" in Japanese.
    add_item_label = _("Add article")

    def get_base_queryset(self):
        # The review column reads the stored review flag, and the latest revision of
        # articles with unpublished changes: fetch it with the page.
        return super().get_base_queryset().select_related("locale", "latest_revision")


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    index_view_class = ArticleIndexView
    icon = "doc-full-inverse"
    menu_label = _("Articles")
    add_to_admin_menu = True
    menu_order = 150
    columns = ARTICLE_COLUMNS
    filterset_class = ArticleFilterSet
    name = "prism_articles"


def waiting_in_review_task():
    """Ids of pages whose workflow is at a "Human review of AI content" task."""
    in_review = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__content_type__model=AIReviewTask._meta.model_name,
        task__content_type__app_label=AIReviewTask._meta.app_label,
    ).values_list("workflow_state__object_id", flat=True)
    # Workflow states keep the object id as text.
    return {int(value) for value in in_review if str(value).isdigit()}


class ReviewQueueIndexView(ArticleIndexView):
    """Titled by what it lists; articles are added from the articles listing, not here."""

    page_title = _("AI review queue")

    def get_add_url(self):
        return None

    def get_base_queryset(self):
        """AI analysis and AI-generated articles whose latest content has no current
        review (never reviewed, or changed since), and those waiting in the review task.

        The same state as the review column: articles without unpublished changes are
        judged by their stored flag in SQL; the few with a newer draft, by that draft.
        """
        waiting = waiting_in_review_task()
        queryset = super().get_base_queryset().filter(ai_involvement__in=REVIEW_REQUIRED)
        drafts = queryset.filter(has_unpublished_changes=True).exclude(pk__in=waiting)
        reviewed_drafts = [
            page.pk for page in drafts if ai_review.latest_state(page) == ReviewState.REVIEWED
        ]
        return queryset.filter(
            Q(pk__in=waiting)
            | Q(has_unpublished_changes=False, ai_review_current=False)
            | (Q(has_unpublished_changes=True) & ~Q(pk__in=reviewed_drafts))
        )


class ReviewQueueViewSet(ArticleListingViewSet):
    index_view_class = ReviewQueueIndexView
    icon = "tasks"
    menu_label = _("AI review queue")
    menu_order = 151
    name = "prism_review_queue"
