from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrismNewsConfig(AppConfig):
    name = "prism_news"
    label = "prism_news"
    verbose_name = _("Prism News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .api.v3 import restore_locales_endpoint
        from .webhooks.events import connect_signals

        restore_locales_endpoint()
        connect_signals()
