"""Webhook endpoints (configured in the admin) and their deliveries."""

import uuid
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .event_types import EVENT_CHOICES
from .safety import UnsafeTarget, check_url


class WebhookEndpoint(models.Model):
    """A front end (or any service) that is told when pages change.

    The secret signs every delivery (``signing``). It is stored as it is, since
    signing needs it, and is never shown again once saved: not in the admin
    (the form never renders it), the logs, the API or ``repr()``.
    """

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(
        _("URL"),
        max_length=2000,
        help_text=_("Where deliveries are POSTed: an http or https URL on a public address."),
    )
    secret = models.CharField(_("signing secret"), max_length=255)
    event_types = models.JSONField(_("events"), default=list)
    locales = models.ManyToManyField(
        "wagtailcore.Locale",
        verbose_name=_("languages"),
        blank=True,
        related_name="+",
        help_text=_("Only events of pages in these languages. None chosen: every language."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only events of pages of this site. Empty: every site."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def __repr__(self):
        # Never the secret (nor the URL, whose query string may hold a token).
        return f"<WebhookEndpoint {self.pk}: {self.name}>"

    def clean(self):
        super().clean()
        if self.url:
            try:
                check_url(self.url, resolve=False)
            except UnsafeTarget as error:
                raise ValidationError({"url": str(error)}) from error

    @property
    def target(self):
        """The URL without its query string, for listings (a query may carry a token)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")

    def wants(self, event):
        """Whether this endpoint subscribes to ``event`` (a dict from ``events.snapshot``)."""
        if event["type"] not in self.event_types:
            return False
        if self.site_id is not None and event["site_id"] != self.site_id:
            return False
        locales = {locale.language_code for locale in self.locales.all()}
        return not locales or event["page"]["locale"] in locales


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the body it gets and how the attempts went.

    Every attempt (the first, each retry) sends the same body, signed anew.
    ``attempt_log`` keeps one entry per attempt for the admin and for operators.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event ID"), db_index=True)
    event_type = models.CharField(_("event"), max_length=64, choices=EVENT_CHOICES)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attempt_log = models.JSONField(_("attempts log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        _("lease expires at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "While sending: when the attempt is taken as lost if it has not ended "
            "(its worker stopped), and tried again."
        ),
    )
    redelivery_of = models.ForeignKey(
        "self",
        verbose_name=_("redelivery of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint.name} ({self.get_status_display()})"
