from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(using, **kwargs):
    """prism_news's cache is a database table without Redis: every `migrate` (make demo,
    a fresh checkout, a new PostgreSQL database) creates it, as `createcachetable` would."""
    call_command("createcachetable", database=using, verbosity=0)


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="home-cache-tables")
