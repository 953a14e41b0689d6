"""Wagtail API v3 integration."""

from django.apps import apps


def restore_locales_endpoint():
    """Mount Wagtail's ``/locales/`` v3 router when wagtail-localize's locales app
    has replaced ``wagtail.locales`` (whose ``ready()`` normally mounts it)."""
    if not apps.is_installed("wagtail.api.v3") or apps.is_installed("wagtail.locales"):
        return
    from wagtail.api.v3.api import api
    from wagtail.locales.api.v3 import router

    if any(mounted is router for _, mounted in api._routers):
        return
    api.add_router("/locales/", router)
