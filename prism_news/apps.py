from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrismNewsConfig(AppConfig):
    name = "prism_news"
    label = "prism_news"
    verbose_name = _("Prism News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, serving  # noqa: F401  (checks registers on import)
        from .api import v3

        serving.register()
        v3.install()
