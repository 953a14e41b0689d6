from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from prism_news.caching import depends_on, depends_on_pages, mark_cacheable
from prism_news.models import ArticlePage
from prism_news.representations.prefetch import prepare_cards


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same page for every reader: prism_news's response cache may keep it, as
        # long as it records what it shows (a host page opts in; docs/caching.md). It
        # reads no query parameter, so none is part of its key.
        mark_cacheable(parameters=())
        depends_on_pages([self])
        # Any article published or withdrawn in this language changes the list.
        depends_on(f"members:{self.locale.language_code}")
        # The lead story and two rows of four on a wide screen.
        context["latest_articles"] = prepare_cards(
            ArticlePage.objects.descendant_of(self)
            .listed()
            .filter(locale_id=self.locale_id)
            .newest_first()
            .for_cards()[:9]
        )
        return context
