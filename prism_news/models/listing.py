from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingCount(models.Model):
    """How many articles of one locale, directly below one page (a section), readers
    may see in listings: kept exact by ``prism_news.listing_counts`` in the same
    transaction as every change that can alter it, so that a listing's ``total_count``
    is a sum over a few of these rows instead of a count over the archive.

    ``valid_until`` is the first moment the count may change without any event: the
    next ``published_at`` to come among the section's articles, or the first expiry
    date among those it counts (or their aliases' originals). Past it, the count is
    not used (``listing_counts.count_listed``) until the next recount.
    """

    # No constraint and nothing done on delete: deleting any page (the host's too) costs
    # no query of prism_news's. A section is deleted after its articles, whose deletion
    # has set its count to 0; a row whose page is gone is joined to nothing when read.
    parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("section"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("locale"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("listed articles"), default=0)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("listing count")
        verbose_name_plural = _("listing counts")
        constraints = [
            models.UniqueConstraint(fields=["parent", "locale"], name="prism_listing_count_group"),
        ]

    def __str__(self):
        return f"{self.parent_id}/{self.locale_id}: {self.count}"
