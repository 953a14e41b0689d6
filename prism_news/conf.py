"""Settings for prism_news, read from the ``PRISM_NEWS`` dict.

Everything in the app reads settings through :func:`get_settings` (or the
``prism_settings`` proxy); nothing else touches ``settings.PRISM_NEWS``.
"""

from functools import cache
from types import MappingProxyType

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS = {
    # Reading speeds. Languages written without spaces between words are
    # counted by characters, the rest by words.
    "READING_WORDS_PER_MINUTE": 238,
    "READING_CHARACTERS_PER_MINUTE": {"ja": 500, "zh": 300},
    # Used for CJK characters in a language missing from the dict above
    # (a Japanese quote inside an English article, say).
    "READING_CHARACTERS_PER_MINUTE_DEFAULT": 500,
    # How many related articles a page offers (pins first, then automatic fill).
    "RELATED_COUNT": 4,
    # Longest allowed article summary, in characters.
    "SUMMARY_MAX_LENGTH": 300,
    # Page size bounds for category listings.
    "CATEGORY_PAGE_SIZE_DEFAULT": 12,
    "CATEGORY_PAGE_SIZE_MAX": 100,
    # Short codes shown on cards ("JP", "EN"); languages not listed fall back
    # to their upper-cased language code.
    "LANGUAGE_LABELS": {"ja": "JP", "en": "EN"},
    # Publishing a translation that still has untranslated texts would show the
    # source language as if it were the translation; True allows it anyway.
    "PUBLISH_UNTRANSLATED": False,
    # Articles with AI involvement "analysis" or "generated" go live only with an
    # approved human review of their current content.
    "REQUIRE_AI_REVIEW": False,
    # --- API
    # Renditions of the hero image and body images in article detail, by name.
    "API_RENDITIONS": {
        "thumbnail": "fill-480x270",
        "medium": "width-960",
        "large": "width-1600",
    },
    # Renditions of the hero image on cards (listings, related articles).
    "API_CARD_RENDITIONS": {"thumbnail": "fill-480x270", "medium": "width-960"},
    # The three aspect ratios Google asks for in structured data.
    "JSON_LD_IMAGE_RENDITIONS": ["fill-1200x1200", "fill-1200x900", "fill-1600x900"],
    "API_LIMIT_MAX": 50,
    "API_OFFSET_MAX": 10_000,
    "API_PARAMETER_MAX_LENGTH": 500,
    # --- Feeds, sitemaps and social cards
    # How many articles an RSS or Atom feed carries, newest first.
    "FEED_LENGTH": 50,
    # The Google News sitemap lists articles published within this many hours.
    "NEWS_SITEMAP_HOURS": 48,
    # Open Graph wants language_TERRITORY; languages not listed use Django's to_locale().
    "OPEN_GRAPH_LOCALES": {"ja": "ja_JP", "en": "en_US", "zh-hans": "zh_CN", "zh-hant": "zh_TW"},
    # --- Caching (docs/caching.md); needs prism_news.caching.middleware.ResponseCacheMiddleware
    # Keep what anonymous readers get (API v2 listings and details, pages) in the cache below.
    "RESPONSE_CACHE": True,
    "RESPONSE_CACHE_ALIAS": "default",
    # Seconds a cached response is kept at most (changes invalidate it long before).
    "RESPONSE_CACHE_TIMEOUT": 24 * 60 * 60,
    # Cache-Control for public responses: browsers, shared caches (purged on every
    # change through WAGTAILFRONTENDCACHE) and serving stale while revalidating.
    "CACHE_MAX_AGE": 60,
    "CACHE_S_MAXAGE": 3600,
    "CACHE_STALE_WHILE_REVALIDATE": 60,
    # Article listings switch to a deferred join (ids first, rows after) from this offset on.
    "API_DEFERRED_JOIN_OFFSET": 200,
    # Keep listing totals (API total_count, a section page's page count) until an article
    # joins or leaves a listing: counting is the part that grows with the archive.
    "API_COUNT_CACHE": True,
    # --- Webhooks (docs/webhooks.md)
    # The django-tasks backend alias and queue that deliveries are enqueued on.
    # Retries need a backend that can defer tasks (django_tasks_db's DatabaseBackend).
    "WEBHOOK_TASK_BACKEND": "default",
    "WEBHOOK_TASK_QUEUE": "default",
    # Seconds allowed to connect, and for the whole response after that.
    "WEBHOOK_TIMEOUT": 5,
    # Attempts in all (the first one included) before a delivery is marked failed.
    "WEBHOOK_MAX_ATTEMPTS": 8,
    # Retry n waits BASE * 2**(n-1) seconds, at most MAX, times a random factor
    # in [1 - JITTER, 1 + JITTER].
    "WEBHOOK_RETRY_BASE_DELAY": 30,
    "WEBHOOK_RETRY_MAX_DELAY": 3600,
    "WEBHOOK_RETRY_JITTER": 0.2,
    # Loopback, private, link-local and other non-public addresses are refused as
    # targets unless they fall in one of these networks, e.g. ["127.0.0.1/32"].
    "WEBHOOK_ALLOWED_NETWORKS": [],
    # prune_webhook_deliveries deletes finished deliveries older than this.
    "WEBHOOK_RETENTION_DAYS": 30,
    # --- Headless preview (docs/preview.md)
    # How long, in seconds, a preview token opens its draft.
    "PREVIEW_TOKEN_MAX_AGE": 1800,
}


@cache
def get_settings():
    """The effective settings: defaults overlaid with ``settings.PRISM_NEWS``."""
    user = getattr(settings, "PRISM_NEWS", {}) or {}
    merged = {**DEFAULTS, **user}
    return MappingProxyType(merged)


def unknown_keys():
    """Keys in ``settings.PRISM_NEWS`` that prism_news does not know (see checks)."""
    user = getattr(settings, "PRISM_NEWS", {}) or {}
    return sorted(set(user) - set(DEFAULTS))


class _SettingsProxy:
    def __getattr__(self, name):
        try:
            return get_settings()[name]
        except KeyError:
            raise AttributeError(f"PRISM_NEWS has no setting {name!r}") from None


prism_settings = _SettingsProxy()


@receiver(setting_changed)
def _reload(*, setting, **kwargs):
    if setting == "PRISM_NEWS":
        get_settings.cache_clear()


def default_category_page_size():
    """Model default for CategoryIndexPage.page_size (a callable, so migrations stay stable)."""
    return get_settings()["CATEGORY_PAGE_SIZE_DEFAULT"]
