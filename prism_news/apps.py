from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrismNewsConfig(AppConfig):
    name = "prism_news"
    label = "prism_news"
    verbose_name = _("Prism News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, once the models are loaded, for what they register: system
        # checks, renditions made on publish and upload, cache invalidation and webhooks
        # on every change, and v3's read rules (before any URLconf builds the v3 API).
        from . import checks, renditions, serving  # noqa: F401
        from .api import v3
        from .caching import signals  # noqa: F401
        from .webhooks.events import connect_signals

        serving.register()
        v3.install()
        connect_signals()
