"""System checks for the PRISM_NEWS settings (ids prism_news.E0xx / W0xx)."""

from numbers import Real

from django.apps import apps
from django.core.checks import Error, Tags, Warning, register

from .conf import get_settings, unknown_keys


def _positive(value):
    return isinstance(value, Real) and not isinstance(value, bool) and value > 0


REQUIRED_APPS = [
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_headless_preview",
    "modelcluster",
    "taggit",
]


@register(Tags.compatibility)
def check_required_apps(app_configs=None, **kwargs):
    return [
        Error(
            f"prism_news needs {name!r} in INSTALLED_APPS.",
            hint="See docs/install.md for the full list.",
            id="prism_news.E003",
        )
        for name in REQUIRED_APPS
        if not apps.is_installed(name)
    ]


@register(Tags.compatibility)
def check_translation_live_status(app_configs=None, **kwargs):
    from django.conf import settings

    if not apps.is_installed("wagtail_localize") or get_settings()["PUBLISH_UNTRANSLATED"]:
        return []
    if getattr(settings, "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE", True):
        return [
            Warning(
                "New translations go live at once, still in the source language.",
                hint=(
                    "Set WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False so a translation "
                    "stays a draft until its translator publishes it, or set "
                    "PRISM_NEWS['PUBLISH_UNTRANSLATED'] = True to accept this."
                ),
                id="prism_news.W002",
            )
        ]
    return []


FINISH_WORKFLOW_ACTION = "prism_news.workflows.publish_workflow_state"


@register(Tags.compatibility)
def check_finish_workflow_action(app_configs=None, **kwargs):
    """W004: with the review policy on, Wagtail's own finishing action turns a refused
    publication at the end of a workflow into a server error for the approver."""
    from django.conf import settings

    if not get_settings()["REQUIRE_AI_REVIEW"]:
        return []
    configured = getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", None)
    if configured in (None, "wagtail.workflows.publish_workflow_state"):
        return [
            Warning(
                "Approving a workflow that the review policy refuses to publish "
                "fails with a server error.",
                hint=f"Set WAGTAIL_FINISH_WORKFLOW_ACTION = {FINISH_WORKFLOW_ACTION!r}.",
                id="prism_news.W004",
            )
        ]
    return []


@register(Tags.database)
def check_review_workflow(app_configs=None, databases=None, **kwargs):
    """W003: the review policy is on, but some category is not under a workflow with
    the review task, so its AI articles could never be published."""
    if not get_settings()["REQUIRE_AI_REVIEW"] or not databases:
        return []
    from django.contrib.contenttypes.models import ContentType
    from django.db import DatabaseError

    from .models import AIReviewTask, CategoryIndexPage

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
        Warning(
            "PRISM_NEWS['REQUIRE_AI_REVIEW'] is on, but no active workflow with a "
            "'Human review of AI content' task covers these categories: "
            + ", ".join(sorted(uncovered)),
            hint="Assign such a workflow to them (or an ancestor) under Settings → Workflows.",
            id="prism_news.W003",
        )
    ]


@register(Tags.compatibility)
def check_settings(app_configs=None, **kwargs):
    messages = []
    for key in unknown_keys():
        messages.append(
            Warning(
                f"PRISM_NEWS[{key!r}] is not a prism_news setting and is ignored.",
                hint="Check the spelling against docs/settings.md.",
                id="prism_news.W001",
            )
        )
    conf = get_settings()
    if not _positive(conf["READING_WORDS_PER_MINUTE"]):
        messages.append(
            Error(
                "PRISM_NEWS['READING_WORDS_PER_MINUTE'] must be a positive number.",
                id="prism_news.E001",
            )
        )
    speeds = conf["READING_CHARACTERS_PER_MINUTE"]
    if not isinstance(speeds, dict) or not all(_positive(v) for v in speeds.values()):
        messages.append(
            Error(
                "PRISM_NEWS['READING_CHARACTERS_PER_MINUTE'] must map language codes "
                "to positive numbers.",
                id="prism_news.E001",
            )
        )
    if not _positive(conf["READING_CHARACTERS_PER_MINUTE_DEFAULT"]):
        messages.append(
            Error(
                "PRISM_NEWS['READING_CHARACTERS_PER_MINUTE_DEFAULT'] must be a positive number.",
                id="prism_news.E001",
            )
        )
    for key in (
        "RELATED_COUNT",
        "SUMMARY_MAX_LENGTH",
        "CATEGORY_PAGE_SIZE_DEFAULT",
        "CATEGORY_PAGE_SIZE_MAX",
    ):
        value = conf[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            messages.append(
                Error(
                    f"PRISM_NEWS[{key!r}] must be a whole number, 0 or more.", id="prism_news.E002"
                )
            )
    return messages


def _number(value, *, whole=False):
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    return not whole or isinstance(value, int)


@register(Tags.compatibility)
def check_webhook_settings(app_configs=None, **kwargs):
    """E004: webhook and preview settings that would fail at delivery time instead."""
    import ipaddress

    conf = get_settings()
    problems = []
    for key in ("WEBHOOK_TIMEOUT", "WEBHOOK_RETRY_BASE_DELAY", "WEBHOOK_RETRY_MAX_DELAY"):
        if not _positive(conf[key]):
            problems.append(f"PRISM_NEWS[{key!r}] must be a positive number of seconds.")
    for key in ("WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_RETENTION_DAYS", "PREVIEW_TOKEN_MAX_AGE"):
        if not _number(conf[key], whole=True) or conf[key] < 1:
            problems.append(f"PRISM_NEWS[{key!r}] must be a whole number, 1 or more.")
    jitter = conf["WEBHOOK_RETRY_JITTER"]
    if not _number(jitter) or not 0 <= jitter < 1:
        problems.append("PRISM_NEWS['WEBHOOK_RETRY_JITTER'] must be a number from 0 to under 1.")
    networks = conf["WEBHOOK_ALLOWED_NETWORKS"]
    if isinstance(networks, str) or not isinstance(networks, list | tuple):
        problems.append(
            "PRISM_NEWS['WEBHOOK_ALLOWED_NETWORKS'] must be a list of networks, "
            "e.g. ['127.0.0.1/32']."
        )
    else:
        for network in networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except (TypeError, ValueError):
                problems.append(
                    f"PRISM_NEWS['WEBHOOK_ALLOWED_NETWORKS'] has {network!r}, which is not "
                    "an IP network such as '127.0.0.1/32' or '::1/128'."
                )
    from django.conf import settings

    aliases = getattr(settings, "TASKS", None) or {"default": None}
    if conf["WEBHOOK_TASK_BACKEND"] not in aliases:
        problems.append(
            f"PRISM_NEWS['WEBHOOK_TASK_BACKEND'] is {conf['WEBHOOK_TASK_BACKEND']!r}, "
            "which is not a backend in TASKS."
        )
    return [
        Error(problem, hint="See docs/settings.md.", id="prism_news.E004") for problem in problems
    ]


@register(Tags.database)
def check_webhook_backend(app_configs=None, databases=None, **kwargs):
    """W005: active webhook endpoints, but a task backend that cannot defer tasks (the
    default, immediate one): deliveries would run in the editor's request, unretried."""
    if not databases:
        return []
    from django.db import DatabaseError
    from django_tasks import task_backends
    from django_tasks.exceptions import InvalidTaskBackendError

    from .webhooks.models import WebhookEndpoint

    alias = get_settings()["WEBHOOK_TASK_BACKEND"]
    try:
        backend = task_backends[alias]
    except InvalidTaskBackendError:
        return []  # E004 says so
    if backend.supports_defer:
        return []
    try:
        if not WebhookEndpoint.objects.filter(active=True).exists():
            return []
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        Warning(
            f"Webhook endpoints are active, but the task backend {alias!r} "
            f"({type(backend).__name__}) cannot defer tasks: deliveries would run inside "
            "the editor's request and could not be retried.",
            hint=(
                "Use django_tasks_db's DatabaseBackend and run `manage.py db_worker` "
                "(see docs/webhooks.md)."
            ),
            id="prism_news.W005",
        )
    ]
