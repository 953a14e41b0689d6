"""The admin's webhook screens (Settings → Webhook endpoints, Webhook deliveries)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from .event_types import EVENT_CHOICES, EVENT_TYPES
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .tasks import redeliver

#: The shortest secret the form takes (HMAC keys shorter than this are guessable).
SECRET_MIN_LENGTH = 24


class WebhookEndpointForm(WagtailAdminModelForm):
    """The endpoint form. Its secret is write-only: never rendered back, kept when left blank."""

    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        strip=True,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(count)d characters, shared with the receiver, which checks the "
            "signature with it. It is not shown again after saving; leave it blank to keep "
            "the current one."
        )
        % {"count": SECRET_MIN_LENGTH},
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENT_CHOICES,
        initial=EVENT_TYPES,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_secret(self):
        secret = self.cleaned_data.get("secret", "")
        if not secret:
            if self.instance.pk:
                return self.instance.secret
            raise ValidationError(_("Enter a signing secret."), code="required")
        if len(secret) < SECRET_MIN_LENGTH:
            raise ValidationError(
                _("Use at least %(count)d characters.") % {"count": SECRET_MIN_LENGTH},
                code="min_length",
            )
        return secret


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Webhook endpoints")
    add_to_settings_menu = True
    copy_view_enabled = False
    name = "prism_webhook_endpoints"
    list_display = [
        "name",
        Column("target", label=_("URL")),
        Column("events_label", label=_("Events"), accessor=lambda e: events_label(e)),
        Column("active", label=_("Active"), accessor=lambda e: _("Yes") if e.active else _("No")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("secret"),
            FieldPanel("event_types"),
            FieldPanel("locales", widget=forms.CheckboxSelectMultiple),
            FieldPanel("site"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookEndpointForm,
    )


def events_label(endpoint):
    labels = dict(EVENT_CHOICES)
    if set(EVENT_TYPES) <= set(endpoint.event_types):
        return _("All")
    return ", ".join(str(labels.get(name, name)) for name in endpoint.event_types)


# --- Deliveries


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")


class DeliveryInspectView(InspectView):
    redeliver_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=self.pk)

    def get_payload_display_value(self):
        text = json.dumps(self.object.payload, indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    def get_attempt_log_display_value(self):
        text = json.dumps(self.object.attempt_log, indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    @property
    def header_buttons(self):
        if not self.user_has_permission("change"):
            return []
        url = reverse(self.redeliver_url_name, args=[self.object.pk])
        return [HeaderButton(_("Redeliver"), url=url, icon_name="rotate")]


class RedeliverView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then send the delivery's event again as a new delivery."""

    model = WebhookDelivery
    permission_required = "change"
    template_name = "prism_news/webhooks/confirm_redeliver.html"
    page_title = _("Redeliver")
    header_icon = "rotate"
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        queryset = WebhookDelivery.objects.select_related("endpoint")
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delivery"] = self.object
        context["cancel_url"] = reverse(self.inspect_url_name, args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        try:
            copy = redeliver(self.object)
        except Exception:  # the queue is down or misconfigured: say so, don't 500
            messages.error(request, _("The delivery could not be queued; see the server log."))
            return redirect(self.inspect_url_name, self.object.pk)
        messages.success(
            request,
            _("“%(event)s” was queued for redelivery to “%(endpoint)s”.")
            % {"event": self.object.event_type, "endpoint": self.object.endpoint.name},
        )
        return redirect(self.inspect_url_name, copy.pk)


class WebhookDeliveryViewSet(ModelViewSet):
    """Deliveries are made by events, never by hand: a listing, an inspect view and
    a redeliver action, without add, edit or copy."""

    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    name = "prism_webhook_deliveries"
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    list_filter = ["status", "event_type", "endpoint"]
    list_display = [
        "event_type",
        Column("endpoint", label=_("Endpoint"), accessor=lambda d: d.endpoint.name),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda d: d.status == DeliveryStatus.SUCCEEDED,
        ),
        Column("attempts", label=_("Attempts")),
        Column("response_code", label=_("Response code")),
        Column("duration_ms", label=_("Duration (ms)")),
        Column("last_error", label=_("Last error"), accessor=lambda d: d.last_error[:120]),
        DateColumn("created_at", label=_("Created")),
    ]
    inspect_view_fields = [
        "event_type",
        "event_id",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "lease_expires_at",
        "redelivery_of",
        "payload",
        "attempt_log",
    ]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # No add, edit or delete views (see get_urlpatterns).
        for name in ("add_url_name", "edit_url_name", "delete_url_name"):
            view_kwargs[name] = None
        view_kwargs.pop("history_url_name", None)
        view_kwargs.pop("usage_url_name", None)
        return view_kwargs

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            redeliver_url_name=self.get_url_name("redeliver"), **kwargs
        )

    @property
    def redeliver_view(self):
        return self.construct_view(
            RedeliverView,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<uuid:pk>/", self.inspect_view, name="inspect"),
            path("redeliver/<uuid:pk>/", self.redeliver_view, name="redeliver"),
        ]
