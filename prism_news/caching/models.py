"""The outbox of invalidations: written with the change, deleted once applied."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingInvalidation(models.Model):
    """Tags a committed change invalidates, until the cache and the edge accepted it
    (``prism_news.caching.outbox``)."""

    tags = models.JSONField(_("tags"), default=list)
    #: The edge's URLs recorded under the tags, taken from the cache before purging.
    urls = models.JSONField(_("URLs to purge"), default=list, blank=True)
    #: The cache's clock was advanced for the tags: only the edge is left.
    cache_done = models.BooleanField(_("applied to the cache"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        app_label = "prism_news"
        ordering = ["pk"]
        verbose_name = _("pending cache invalidation")
        verbose_name_plural = _("pending cache invalidations")

    def __str__(self):
        return ", ".join(self.tags[:5]) + ("…" if len(self.tags) > 5 else "")
