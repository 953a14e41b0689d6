from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrismNewsConfig(AppConfig):
    name = "prism_news"
    label = "prism_news"
    verbose_name = _("Prism News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, once the models are loaded: the system checks (registered on
        # import), the signal handlers and v3's read rules (before any URLconf builds the
        # v3 API). Wagtail hooks are in wagtail_hooks.py, which Wagtail loads itself.
        from . import checks  # noqa: F401
        from .api import v3
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        v3.install()
