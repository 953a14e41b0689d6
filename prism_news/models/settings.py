from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string
from wagtail.models import Orderable

from ..disclaimers import DisclaimerKind


@register_setting(icon="doc-full")
class NewsroomSettings(ClusterableModel, BaseSiteSetting):
    """Per-site newsroom defaults: the publisher for structured data, default disclaimers."""

    publisher_name = models.CharField(
        _("publisher name"),
        max_length=255,
        blank=True,
        help_text=_("The organisation named as publisher in structured data."),
    )
    publisher_logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("publisher logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used as the publisher logo in structured data."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("publisher_name"), FieldPanel("publisher_logo")], heading=_("Publisher")
        ),
        InlinePanel(
            "default_disclaimers",
            heading=_("Default disclaimers"),
            label=_("Default disclaimer"),
            help_text=_(
                "The disclaimer used for each kind when an article does not pick its own. "
                "Articles show it in their own language when a translation exists."
            ),
        ),
    ]

    # Wagtail's base_queryset() (behind for_site() and for_request(), which caches the
    # settings on the request) fetches the logo with the row: the masthead and the
    # structured data show it.
    select_related = ["publisher_logo"]

    class Meta:
        verbose_name = _("newsroom settings")

    def default_disclaimer_id(self, kind):
        return self._default_disclaimer_ids.get(kind)

    @cached_property
    def _default_disclaimer_ids(self):
        # One query, and only when an article falls back to a default.
        return {row.kind: row.disclaimer_id for row in self.default_disclaimers.all()}


class NewsroomDefaultDisclaimer(Orderable):
    settings = ParentalKey(
        NewsroomSettings, on_delete=models.CASCADE, related_name="default_disclaimers"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DisclaimerKind.choices)
    disclaimer = models.ForeignKey(
        "prism_news.DisclaimerPage",
        verbose_name=_("disclaimer"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("kind"), FieldPanel("disclaimer")]

    class Meta(Orderable.Meta):
        verbose_name = _("default disclaimer")
        verbose_name_plural = _("default disclaimers")
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "kind"], name="prism_news_one_default_disclaimer_per_kind"
            )
        ]
