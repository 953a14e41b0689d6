"""System checks: the ``PRISM_NEWS`` settings and what prism_news needs around it.

Each id means one condition, listed in :data:`CHECKS` (docs/checks.md is made
from it). The messages are for developers and, like Django's own, in English.
"""

import difflib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Info, Tags, Warning, register
from django.db import DatabaseError, connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.exceptions import InvalidTaskBackendError

from .conf import DEFAULTS, SETTINGS, get_settings, user_settings
from .models import AIReviewTask, CategoryIndexPage
from .search.backend import SUPPORTED_VENDORS
from .setting_kinds import Alias, describe
from .webhooks.models import WebhookEndpoint

REQUIRED_APPS = [
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "modelcluster",
    "taggit",
]
#: The apps the v2 API needs once it is mounted (Wagtail's API and Django REST framework).
API_APPS = ["wagtail.api.v2", "rest_framework"]
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
INSTALL_DOCS = "docs/install.md"


#: Every check id and the one condition it reports.
CHECKS = {
    "prism_news.W001": (
        Warning,
        "`PRISM_NEWS` has a key that is not a prism_news setting (usually a typo); it is "
        "ignored. The hint names the nearest known key.",
    ),
    "prism_news.W002": (
        Warning,
        "`WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE` is not `False`: new translations "
        "would go live at once, in the source language (silenced by "
        "`PUBLISH_UNTRANSLATED = True`).",
    ),
    "prism_news.W003": (
        Warning,
        "`REQUIRE_AI_REVIEW` is on and a category is not under an active workflow with the "
        '"Human review of AI content" task (a database check: '
        "`manage.py check --database default`).",
    ),
    "prism_news.W004": (
        Warning,
        "`REQUIRE_AI_REVIEW` is on and `WAGTAIL_FINISH_WORKFLOW_ACTION` is Wagtail's own: "
        "approving a workflow whose publication the policy refuses would be a server error; "
        'set it to `"prism_news.workflow_actions.publish_workflow_state"`.',
    ),
    "prism_news.W005": (
        Warning,
        "A webhook endpoint is active but `WEBHOOK_TASK_BACKEND` cannot defer tasks "
        "(Django's default, immediate one): deliveries would run in the editor's request "
        "and could not be retried (a database check: `manage.py check --database default`).",
    ),
    "prism_news.W006": (
        Warning,
        f"`{LOCALE_MIDDLEWARE}` is not in `MIDDLEWARE`: Django does not take the language "
        "from the URL, so `i18n_patterns` URLs of a language other than `LANGUAGE_CODE` "
        "(`/en/...`) find no page.",
    ),
    "prism_news.W007": (
        Warning,
        "prism_news's v2 API is mounted but an app it needs is missing from `INSTALLED_APPS` ("
        + ", ".join(f"`{name}`" for name in API_APPS)
        + ").",
    ),
    "prism_news.W008": (
        Warning,
        "`WAGTAIL_HEADLESS_PREVIEW` is set but `wagtail_headless_preview` is not in "
        "`INSTALLED_APPS`: the setting is ignored and pages preview with their templates.",
    ),
    "prism_news.W009": (
        Warning,
        "prism_news keeps responses or listing counts (`RESPONSE_CACHE` with its middleware, "
        "or `API_COUNT_CACHE`) in a cache that each process has to itself (`LocMemCache`) or "
        "that keeps nothing (`DummyCache`): a change made in another process (the task "
        "worker, `publish_scheduled`, another server) is not seen, and old answers and counts "
        "are served until they expire.",
    ),
    "prism_news.W010": (
        Warning,
        "`RESPONSE_CACHE_ALIAS` is a django-redis cache with `IGNORE_EXCEPTIONS`: while Redis "
        "is unreachable an invalidation fails silently, and the old answers it should have "
        "removed are served after Redis returns.",
    ),
    "prism_news.W011": (
        Warning,
        "`REQUIRE_AI_REVIEW` is on and wagtail-localize's translation editor is not rendered "
        "with prism_news's template (`prism_news` comes after `wagtail_localize` in "
        "`INSTALLED_APPS`, or a project template replaces it): translators and reviewers get "
        'no "Submit for review" or "Approve and publish" there.',
    ),
    "prism_news.W020": (
        Warning,
        "`WAGTAILSEARCH_BACKENDS` names `prism_news.search.backend` but the default database "
        "is neither PostgreSQL nor SQLite: search falls back to modelsearch's backend, "
        "without Japanese analysis (docs/search.md; a database check: "
        "`manage.py check --database default`).",
    ),
    "prism_news.E001": (
        Error,
        'A `PRISM_NEWS` value has the wrong type for its setting (`"50"` where an int is '
        "expected, a dict holding a str where it should hold numbers); the message names "
        "the key and the kind expected.",
    ),
    "prism_news.E002": (
        Error,
        "A `PRISM_NEWS` value has the right type but is not accepted: a number out of "
        "range, an empty queue name, an item that is not a rendition spec or an IP network.",
    ),
    "prism_news.E003": (
        Error,
        "An app prism_news needs is missing from `INSTALLED_APPS` ("
        + ", ".join(f"`{name}`" for name in REQUIRED_APPS)
        + ").",
    ),
    "prism_news.E004": (
        Error,
        "`WEBHOOK_TASK_BACKEND` or `RESPONSE_CACHE_ALIAS` names a backend that is not "
        "configured in `TASKS` or `CACHES`.",
    ),
    "prism_news.E005": (Error, "`PRISM_NEWS` is not a dict."),
    "prism_news.E006": (
        Error,
        "`CATEGORY_PAGE_SIZE_DEFAULT` is larger than `CATEGORY_PAGE_SIZE_MAX`: a new category "
        "would start with a page size its own validation refuses.",
    ),
    "prism_news.E007": (
        Error,
        "`WAGTAIL_I18N_ENABLED` is not `True`: pages, authors and settings are kept per "
        "locale and wagtail-localize translates them, which needs Wagtail's "
        "internationalisation.",
    ),
    "prism_news.I001": (
        Info,
        "No URL pattern serves prism_news's v2 API (`prism_news.api.router.api_router()` "
        "is not mounted in the URLconf): front ends have no endpoint to read articles from.",
    ),
}


def issue(check_id, msg, hint=None):
    """The message for ``check_id``, at the level :data:`CHECKS` gives it."""
    level, _condition = CHECKS[check_id]
    return level(msg, hint=hint, id=check_id)


def _settings():
    """get_settings(), or the defaults when PRISM_NEWS is no dict (E005 says so)."""
    if not isinstance(user_settings(), Mapping):
        return MappingProxyType(DEFAULTS)
    return get_settings()


@register(Tags.compatibility)
def check_required_apps(app_configs=None, **kwargs):
    """E003: an app prism_news needs is not installed. (prism_news's models import
    nothing from a missing app's models module, so Django gets this far.)"""
    return missing_apps(
        "prism_news.E003", REQUIRED_APPS, "prism_news needs {name!r} in INSTALLED_APPS."
    )


def missing_apps(check_id, names, message):
    """One ``check_id`` issue per app of ``names`` not installed, with the line to add."""
    return [
        issue(
            check_id,
            message.format(name=name),
            hint=f'Add "{name}", to INSTALLED_APPS (see {INSTALL_DOCS}).',
        )
        for name in names
        if not apps.is_installed(name)
    ]


@register(Tags.compatibility)
def check_i18n(app_configs=None, **kwargs):
    """E007 and W006: Wagtail's internationalisation, and the locale middleware."""
    messages = []
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) is not True:
        messages.append(
            issue(
                "prism_news.E007",
                "prism_news needs WAGTAIL_I18N_ENABLED = True.",
                hint=f"Add WAGTAIL_I18N_ENABLED = True to your settings (see {INSTALL_DOCS}).",
            )
        )
    if LOCALE_MIDDLEWARE not in getattr(settings, "MIDDLEWARE", []):
        messages.append(
            issue(
                "prism_news.W006",
                f"{LOCALE_MIDDLEWARE!r} is not in MIDDLEWARE.",
                hint=(
                    f'Add "{LOCALE_MIDDLEWARE}", to MIDDLEWARE after the session middleware '
                    f"and before CommonMiddleware (see {INSTALL_DOCS})."
                ),
            )
        )
    return messages


@register(Tags.compatibility)
def check_headless_preview(app_configs=None, **kwargs):
    """W008: the headless preview is configured but its app is not installed."""
    if apps.is_installed("wagtail_headless_preview") or not hasattr(
        settings, "WAGTAIL_HEADLESS_PREVIEW"
    ):
        return []
    return [
        issue(
            "prism_news.W008",
            "WAGTAIL_HEADLESS_PREVIEW is set, but 'wagtail_headless_preview' is not in "
            "INSTALLED_APPS: pages preview with their templates.",
            hint=f'Add "wagtail_headless_preview", to INSTALLED_APPS (see {INSTALL_DOCS}).',
        )
    ]


def _serves_news_api(patterns):
    """Whether a URL pattern among ``patterns`` (and the resolvers under them) serves
    prism_news's pages endpoint, whatever the router's name or prefix."""
    from .api.views import NewsPagesAPIViewSet

    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            if _serves_news_api(pattern.url_patterns):
                return True
            continue
        view_class = getattr(pattern.callback, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, NewsPagesAPIViewSet):
            return True
    return False


@register(Tags.urls)
def check_api_mounted(app_configs=None, **kwargs):
    """I001 and W007: the v2 API is not in the URLconf, or is without the apps it needs."""

    if not all(apps.is_installed(name) for name in REQUIRED_APPS):
        return []  # E003 first: the API cannot be imported without them
    if not _serves_news_api(get_resolver().url_patterns):
        return [
            issue(
                "prism_news.I001",
                "prism_news's v2 API is not mounted in the URLconf.",
                hint=(
                    "Add `from prism_news.api.router import api_router` and "
                    '`path("api/v2/", api_router().urls),` to your urlpatterns '
                    f"(see {INSTALL_DOCS})."
                ),
            )
        ]
    return missing_apps(
        "prism_news.W007",
        API_APPS,
        "prism_news's v2 API is mounted, but {name!r} is not in INSTALLED_APPS.",
    )


@register(Tags.compatibility)
def check_translation_live_status(app_configs=None, **kwargs):
    if not apps.is_installed("wagtail_localize") or _settings()["PUBLISH_UNTRANSLATED"]:
        return []
    if getattr(settings, "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE", True):
        return [
            issue(
                "prism_news.W002",
                "New translations go live at once, still in the source language.",
                hint=(
                    "Set WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False so a translation "
                    "stays a draft until its translator publishes it, or set "
                    "PRISM_NEWS['PUBLISH_UNTRANSLATED'] = True to accept this."
                ),
            )
        ]
    return []


TRANSLATION_EDITOR_TEMPLATE = "wagtail_localize/admin/edit_translation.html"


@register(Tags.templates)
def check_translation_editor_template(app_configs=None, **kwargs):
    """W011: the translation editor would show no review notice (our template of
    wagtail-localize's editor is not the one found first)."""
    if not apps.is_installed("wagtail_localize") or not _settings()["REQUIRE_AI_REVIEW"]:
        return []
    ours = Path(apps.get_app_config("prism_news").path, "templates", TRANSLATION_EDITOR_TEMPLATE)
    try:
        found = get_template(TRANSLATION_EDITOR_TEMPLATE).origin.name
    except TemplateDoesNotExist:
        found = None
    if found and Path(found) == ours:
        return []
    return [
        issue(
            "prism_news.W011",
            "wagtail-localize's translation editor has no review notice (Submit for review, "
            "Approve and publish).",
            hint=f'List "prism_news" before "wagtail_localize" in INSTALLED_APPS ({INSTALL_DOCS}).',
        )
    ]


FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"


@register(Tags.compatibility)
def check_finish_workflow_action(app_configs=None, **kwargs):
    """W004: with the review policy on, Wagtail's own finishing action turns a refused
    publication at the end of a workflow into a server error for the approver."""
    if not _settings()["REQUIRE_AI_REVIEW"]:
        return []
    configured = getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", None)
    if configured in (None, "wagtail.workflows.publish_workflow_state"):
        return [
            issue(
                "prism_news.W004",
                "Approving a workflow that the review policy refuses to publish "
                "fails with a server error.",
                hint=f"Set WAGTAIL_FINISH_WORKFLOW_ACTION = {FINISH_WORKFLOW_ACTION!r}.",
            )
        ]
    return []


@register(Tags.database)
def check_review_workflow(app_configs=None, databases=None, **kwargs):
    """W003: the review policy is on, but some category is not under a workflow with
    the review task, so its AI articles could never be published."""
    if not _settings()["REQUIRE_AI_REVIEW"] or not databases:
        return []
    try:
        review = ContentType.objects.get_for_model(AIReviewTask)
        uncovered = []
        for category in CategoryIndexPage.objects.all():
            workflow = category.get_workflow()
            covered = (
                workflow is not None
                and workflow.active
                and workflow.tasks.filter(active=True, content_type=review).exists()
            )
            if not covered:
                uncovered.append(category.url_path)
    except DatabaseError:  # tables not migrated yet
        return []
    if not uncovered:
        return []
    return [
        issue(
            "prism_news.W003",
            "PRISM_NEWS['REQUIRE_AI_REVIEW'] is on, but no active workflow with a "
            "'Human review of AI content' task covers these categories: "
            + ", ".join(sorted(uncovered)),
            hint="Assign such a workflow to them (or an ancestor) under Settings → Workflows.",
        )
    ]


@register(Tags.compatibility)
def check_settings(app_configs=None, **kwargs):
    """E005, W001, E001, E002: the ``PRISM_NEWS`` dict and each value in it, against
    the declarations in conf.py."""
    user = user_settings()
    if not isinstance(user, Mapping):
        return [
            issue(
                "prism_news.E005",
                f"PRISM_NEWS is {describe(user)}; it must be a dict.",
                hint="See docs/settings.md.",
            )
        ]
    messages = []
    for key in user:
        if key not in SETTINGS:
            nearest = difflib.get_close_matches(str(key), SETTINGS, n=1)
            messages.append(
                issue(
                    "prism_news.W001",
                    f"PRISM_NEWS[{key!r}] is not a prism_news setting and is ignored.",
                    hint=(
                        f"Did you mean {nearest[0]!r}?"
                        if nearest
                        else "Check the spelling against docs/settings.md."
                    ),
                )
            )
    for key, value in user.items():
        if key not in SETTINGS:
            continue
        kind = SETTINGS[key].kind
        wrong = kind.wrong_type(value)
        if wrong is not None:
            messages.append(
                issue(
                    "prism_news.E001",
                    f"PRISM_NEWS[{key!r}] {wrong}; expected {kind.name}.",
                    hint="See docs/settings.md.",
                )
            )
            continue
        messages.extend(
            issue(
                "prism_news.E002",
                f"PRISM_NEWS[{key!r}] {problem}; expected {kind.name}.",
                hint="See docs/settings.md.",
            )
            for problem in kind.problems(value)
        )
    return messages


@register(Tags.compatibility)
def check_aliases(app_configs=None, **kwargs):
    """E004: a setting names a task backend or cache that is not configured."""
    conf = _settings()
    messages = []
    for key, setting in SETTINGS.items():
        kind, value = setting.kind, conf[key]
        if isinstance(kind, Alias) and kind.fits_type(value) and value not in kind.configured():
            messages.append(
                issue(
                    "prism_news.E004",
                    f"PRISM_NEWS[{key!r}] is {value!r}, which is not a backend in {kind.setting}.",
                    hint=f"Use one of: {', '.join(map(repr, kind.configured()))}.",
                )
            )
    return messages


#: A category's page size: the default for new categories, and the largest allowed.
SIZE_KEYS = ("CATEGORY_PAGE_SIZE_DEFAULT", "CATEGORY_PAGE_SIZE_MAX")


@register(Tags.compatibility)
def check_category_page_sizes(app_configs=None, **kwargs):
    """E006: the default page size of a new category is above the largest allowed."""
    conf = _settings()
    if not all(SETTINGS[key].kind.fits_type(conf[key]) for key in SIZE_KEYS):
        return []  # E001 already names the value of the wrong type.
    default, largest = (conf[key] for key in SIZE_KEYS)
    if default <= largest:
        return []
    return [
        issue(
            "prism_news.E006",
            f"PRISM_NEWS['CATEGORY_PAGE_SIZE_DEFAULT'] is {default}, larger than "
            f"PRISM_NEWS['CATEGORY_PAGE_SIZE_MAX'] ({largest}).",
            hint="Lower the default or raise the maximum.",
        )
    ]


@register(Tags.database)
def check_webhook_backend(app_configs=None, databases=None, **kwargs):
    """W005: active webhook endpoints, but a task backend that cannot defer tasks (the
    default, immediate one): deliveries would run in the editor's request, unretried."""
    if not databases:
        return []
    alias = _settings()["WEBHOOK_TASK_BACKEND"]
    try:
        backend = task_backends[alias]
    except (InvalidTaskBackendError, TypeError):
        return []  # E001 or E004 says so
    if backend.supports_defer:
        return []
    try:
        if not WebhookEndpoint.objects.filter(active=True).exists():
            return []
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        issue(
            "prism_news.W005",
            f"Webhook endpoints are active, but the task backend {alias!r} "
            f"({type(backend).__name__}) cannot defer tasks: deliveries would run inside "
            "the editor's request and could not be retried.",
            hint=(
                "Use django_tasks_db's DatabaseBackend and run `manage.py db_worker` "
                "(see docs/webhooks.md)."
            ),
        )
    ]


RESPONSE_CACHE_MIDDLEWARE = "prism_news.caching.middleware.ResponseCacheMiddleware"
CACHING_DOCS = "docs/caching.md"


def _cache_in_use(conf):
    """The CACHES entry prism_news keeps responses or counts in, or None when it keeps
    none (or when E001/E004 already reports the alias)."""
    responses = conf["RESPONSE_CACHE"] is True and RESPONSE_CACHE_MIDDLEWARE in getattr(
        settings, "MIDDLEWARE", []
    )
    if not (responses or conf["API_COUNT_CACHE"] is True):
        return None
    alias = conf["RESPONSE_CACHE_ALIAS"]
    if not isinstance(alias, str):
        return None
    return getattr(settings, "CACHES", {}).get(alias)


@register(Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    """W009 and W010: the cache prism_news relies on to drop old answers the moment
    anything changes must be one every process shares, and must report its failures."""
    conf = _settings()
    config = _cache_in_use(conf)
    if not isinstance(config, Mapping):
        return []
    alias = conf["RESPONSE_CACHE_ALIAS"]
    try:
        backend = import_string(config.get("BACKEND", ""))
    except ImportError:
        return []  # Django's own cache checks and the first request say so
    if isinstance(backend, type) and issubclass(backend, (LocMemCache, DummyCache)):
        return [
            issue(
                "prism_news.W009",
                f"prism_news keeps responses and listing counts in the cache {alias!r} "
                f"({backend.__name__}), which other processes do not share: a change made "
                "in the task worker, a management command or another server process is not "
                "seen, and readers get old answers until they expire.",
                hint=(
                    "Point PRISM_NEWS['RESPONSE_CACHE_ALIAS'] at a cache every process "
                    "shares: Redis (django-redis), or Django's database cache "
                    '("BACKEND": "django.core.cache.backends.db.DatabaseCache", then '
                    "`manage.py createcachetable`). Or set PRISM_NEWS['RESPONSE_CACHE'] and "
                    f"PRISM_NEWS['API_COUNT_CACHE'] to False. See {CACHING_DOCS}."
                ),
            )
        ]
    if backend.__module__.startswith("django_redis") and _ignores_exceptions(config):
        return [
            issue(
                "prism_news.W010",
                f"The cache {alias!r} that prism_news keeps responses in ignores Redis "
                "errors (IGNORE_EXCEPTIONS): an invalidation made while Redis is "
                "unreachable is lost without a trace, and old answers are served after "
                "Redis returns.",
                hint=(
                    f"Give prism_news a cache alias of its own without IGNORE_EXCEPTIONS "
                    "(prism_news serves without the cache while Redis is down); "
                    f"see {CACHING_DOCS}."
                ),
            )
        ]
    return []


def _ignores_exceptions(config):
    """django-redis's own rule: the cache's option, else the global setting."""
    options = config.get("OPTIONS") or {}
    return bool(
        options.get("IGNORE_EXCEPTIONS", getattr(settings, "DJANGO_REDIS_IGNORE_EXCEPTIONS", False))
    )


def search_backend_warnings(backends, vendor):
    """W020 for each ``WAGTAILSEARCH_BACKENDS`` entry on prism_news's backend when the
    database is one it does not analyse for (modelsearch's backend answers instead)."""
    if vendor in SUPPORTED_VENDORS:
        return []
    return [
        issue(
            "prism_news.W020",
            f"WAGTAILSEARCH_BACKENDS[{name!r}] is prism_news.search.backend, but the "
            f"database is {vendor}: search uses modelsearch's backend without Japanese "
            "analysis.",
            hint="prism_news.search analyses for PostgreSQL and SQLite (FTS5); see docs/search.md.",
        )
        for name, conf in backends.items()
        if conf.get("BACKEND") == "prism_news.search.backend"
    ]


@register(Tags.database)
def check_search_backend(app_configs=None, databases=None, **kwargs):
    """W020: prism_news's search backend on a database it does not analyse for."""
    return search_backend_warnings(
        getattr(settings, "WAGTAILSEARCH_BACKENDS", {}), connection.vendor
    )
