import pytest
from wagtail.models import Locale, Page, Site

from .factories import CategoryIndexPageFactory


@pytest.fixture
def ja(db):
    return Locale.objects.get(language_code="ja")


@pytest.fixture
def en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def home(ja):
    """The default site's root page (Wagtail's initial welcome page, in ja)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


@pytest.fixture
def category(home):
    return CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")


@pytest.fixture
def prism_settings(settings):
    """Override PRISM_NEWS keys: ``prism_settings(RELATED_COUNT=2)``."""

    def apply(**values):
        settings.PRISM_NEWS = {**getattr(settings, "PRISM_NEWS", {}), **values}

    return apply
