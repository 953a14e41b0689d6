"""Settings for prism_news, read from the ``PRISM_NEWS`` dict.

Everything in the app reads settings through :func:`get_settings`; nothing else
touches ``settings.PRISM_NEWS``. :data:`SECTIONS` declares every setting once: its
default, the kind of value it takes and what it does. The system checks
(``checks.py``) and the tables in docs/settings.md are made from it; the kinds are
in ``setting_kinds.py``.
"""

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .setting_kinds import (
    Alias,
    Boolean,
    DictOf,
    Integer,
    Kind,
    ListOf,
    Network,
    Number,
    RenditionSpec,
    Text,
)

# --- The settings


@dataclass(frozen=True)
class Setting:
    default: object
    kind: Kind
    description: str


@dataclass(frozen=True)
class Section:
    title: str
    see: tuple  # pages of docs/ that explain these settings
    settings: dict


POSITIVE_NUMBER = Number(above=0)
SPEEDS = DictOf(POSITIVE_NUMBER)
RENDITIONS = DictOf(RenditionSpec())

SECTIONS = (
    Section(
        "Articles",
        (),
        {
            "READING_WORDS_PER_MINUTE": Setting(
                238,
                POSITIVE_NUMBER,
                "Reading speed for text written with spaces between words.",
            ),
            "READING_CHARACTERS_PER_MINUTE": Setting(
                {"ja": 500, "zh": 300},
                SPEEDS,
                "Reading speed for text written without spaces (Japanese, Chinese), per "
                "language; `zh-hans` uses `zh`.",
            ),
            "READING_CHARACTERS_PER_MINUTE_DEFAULT": Setting(
                500,
                POSITIVE_NUMBER,
                "Reading speed for such characters in a language missing from the dict "
                "above (a Japanese quote in an English article, say).",
            ),
            "RELATED_COUNT": Setting(
                4,
                Integer(0),
                "How many related articles an article offers: pins first, then automatic fill.",
            ),
            "SUMMARY_MAX_LENGTH": Setting(
                300, Integer(0), "The longest allowed article summary, in characters."
            ),
            "CATEGORY_PAGE_SIZE_DEFAULT": Setting(
                12, Integer(1), "Articles per page for a new category index."
            ),
            "CATEGORY_PAGE_SIZE_MAX": Setting(
                100, Integer(1), "The largest page size an editor may give a category index."
            ),
            "LANGUAGE_LABELS": Setting(
                {},
                DictOf(Text()),
                "Language labels on cards and in the API's language_label, by language code; "
                "a language without one shows its own name (日本語, English), or its "
                "upper-cased code when Django does not know it.",
            ),
        },
    ),
    Section(
        "Publishing",
        ("translation.md", "provenance.md"),
        {
            "PUBLISH_UNTRANSLATED": Setting(
                False,
                Boolean(),
                "Allow publishing a translation that still has untranslated texts (it "
                "would show the source language as if it were the translation).",
            ),
            "REQUIRE_AI_REVIEW": Setting(
                False,
                Boolean(),
                "`analysis` and `generated` articles go live only with an approved human "
                "review of their current content, translations with their own; set "
                "`WAGTAIL_FINISH_WORKFLOW_ACTION` with it (`prism_news.W004`).",
            ),
            "AI_REVIEW_ALLOW_SELF_APPROVAL": Setting(
                False,
                Boolean(),
                "Let whoever submitted an article to the review task, or changed its "
                "content since its last review, approve that review (a one-person "
                "newsroom); each such approval is recorded in the page history and the "
                "server log. Off: someone else must approve.",
            ),
        },
    ),
    Section(
        "API",
        ("api.md",),
        {
            "API_RENDITIONS": Setting(
                {"thumbnail": "fill-480x270", "medium": "width-960", "large": "width-1600"},
                RENDITIONS,
                "Renditions of the hero image and body images in article detail, by name.",
            ),
            "API_CARD_RENDITIONS": Setting(
                {"thumbnail": "fill-480x270", "medium": "width-960"},
                RENDITIONS,
                "Renditions of the hero image on cards (listings, related articles, feeds).",
            ),
            "JSON_LD_IMAGE_RENDITIONS": Setting(
                ["fill-1200x1200", "fill-1200x900", "fill-1600x900"],
                ListOf(RenditionSpec()),
                "The hero in structured data, in the three aspect ratios Google asks for; "
                "the widest is also the Open Graph and Twitter image.",
            ),
            "API_LIMIT_MAX": Setting(50, Integer(1), "The largest `limit` a listing accepts."),
            "API_OFFSET_MAX": Setting(
                10_000, Integer(0), "The largest `offset` a listing accepts."
            ),
            "API_PARAMETER_MAX_LENGTH": Setting(
                500, Integer(1), "The longest query parameter name or value, in characters."
            ),
            "API_V3_CHECK_ALL_ENDPOINTS": Setting(
                False,
                Boolean(),
                "Apply the input rules above to every v3 endpoint, the host's too (images, "
                "documents, redirects, page listings of any type): a 400 naming the bad "
                "parameter, `search` reduced to words, the session hidden, and the bounds "
                "stated in the OpenAPI document; and the images endpoint lists only the images "
                "readers may see on a page, as v2's does. Off, they apply only to requests about "
                "prism_news pages (`type=prism_news.*`, a detail or `find` of one), images only "
                "lose those that hidden prism_news pages alone use, and the host's "
                "endpoints then answer as Wagtail does, including whatever Wagtail answers to "
                "malformed input (some values give a 500), `Vary: Cookie` where it reads the "
                "session, and an OpenAPI document without those bounds.",
            ),
        },
    ),
    Section(
        "Feeds, sitemaps and social cards",
        ("frontend.md",),
        {
            "FEED_LENGTH": Setting(
                50, Integer(1), "How many articles an RSS or Atom feed carries, newest first."
            ),
            "SITEMAP_PAGE_SIZE": Setting(
                5_000,
                Integer(1, 50_000),
                "How many pages one sitemap of a language lists (`/sitemap-ja.xml?p=2`); the "
                "index at `/sitemap.xml` lists every one. The sitemaps protocol allows at most "
                "50,000 URLs and 50 MB per sitemap; each URL with its hreflang alternates takes "
                "about 0.5 KB per language, so smaller pages stay under 50 MB with many "
                "languages, and each takes well under a second to make.",
            ),
            "NEWS_SITEMAP_HOURS": Setting(
                48,
                POSITIVE_NUMBER,
                "The Google News sitemap lists articles published within this many hours.",
            ),
            "OPEN_GRAPH_LOCALES": Setting(
                {"ja": "ja_JP", "en": "en_US", "zh-hans": "zh_CN", "zh-hant": "zh_TW"},
                DictOf(Text()),
                "`og:locale` per language; other languages use Django's `to_locale()`.",
            ),
        },
    ),
    Section(
        "Search page",
        ("frontend.md",),
        {
            "SEARCH_PAGE_SIZE": Setting(
                12, Integer(1), "Results per page of the reader search page (`/search/`)."
            ),
            "SEARCH_QUERY_MAX_LENGTH": Setting(
                100,
                Integer(1),
                "The longest search query the reader search page keeps, in characters: a "
                "longer one is cut (and the address redirected to the cut query), so that "
                "the response cache keeps a bounded set of answers.",
            ),
        },
    ),
    Section(
        "Author pages",
        ("frontend.md",),
        {
            "AUTHOR_PAGE_SIZE": Setting(
                12,
                Integer(1),
                "Articles per page of an author's page (`/authors/<slug>/`); an author's "
                "feed lists `FEED_LENGTH` articles.",
            ),
        },
    ),
    Section(
        "In the host's site",
        ("frontend.md", "architecture.md"),
        {
            "SERVE_RULES_FOR_ALL_PAGES": Setting(
                False,
                Boolean(),
                "Serve every page of the site, not only prism_news's, under its rule: a page "
                "past its expiry date, or an alias of a page readers may not see, is a 404 at "
                "once. Off, the host's pages are served as Wagtail serves them (an expired page "
                "until `publish_scheduled` unpublishes it).",
            ),
            "RENDITIONS_ON_UPLOAD": Setting(
                False,
                Boolean(),
                "Make the renditions an article's hero needs as soon as any image is uploaded "
                "(a task), so that an image picked later is ready for its first reader. Off, "
                "they are made when an article using the image is published, and uploading an "
                "image to the host's library costs what it costs without prism_news.",
            ),
            "REPLACE_PAGE_LINK_HANDLER": Setting(
                False,
                Boolean(),
                "Render page links in all rich text, the host's too, as prism_news renders its "
                "own: a link to a page readers may not see (a draft, an expired or restricted "
                "page) loses its `href`. Off, the host's rich text keeps Wagtail's handler, "
                "which links to such pages.",
            ),
        },
    ),
    Section(
        "Caching",
        ("caching.md",),
        {
            "RESPONSE_CACHE": Setting(
                True,
                Boolean(),
                "Keep what anonymous readers get (API v2 listings and details, pages) in the "
                "cache; needs `prism_news.caching.middleware.ResponseCacheMiddleware`.",
            ),
            "RESPONSE_CACHE_ALIAS": Setting(
                "default", Alias("CACHES"), "Which of `CACHES` holds those responses."
            ),
            "RESPONSE_CACHE_TIMEOUT": Setting(
                24 * 60 * 60,
                Integer(1),
                "Seconds a cached response is kept at most (changes invalidate it long before).",
            ),
            "RESPONSE_CACHE_RETRY_AFTER": Setting(
                1,
                POSITIVE_NUMBER,
                "Seconds a process goes without the response cache after it failed (Redis "
                "down, a timeout) before trying it again; meanwhile readers get answers "
                "made afresh. An outage is logged once, when it starts and when it ends.",
            ),
            "RESPONSE_CACHE_PENDING_INTERVAL": Setting(
                1,
                Number(at_least=0, below=60),
                "How often, in seconds, each process reads the cache invalidations still "
                "waiting to be applied (one query); a cached answer they may concern is not "
                "served. The most a reader can see of content older than a committed change "
                "while the cache recovers from a failure.",
            ),
            "CACHE_MAX_AGE": Setting(
                60, Integer(0), "`Cache-Control: max-age` of public responses, for browsers."
            ),
            "CACHE_S_MAXAGE": Setting(
                3600,
                Integer(0),
                "`s-maxage` of public responses, for shared caches (purged on every change "
                "through `WAGTAILFRONTENDCACHE`).",
            ),
            "CACHE_STALE_WHILE_REVALIDATE": Setting(
                60, Integer(0), "`stale-while-revalidate` of public responses."
            ),
            "API_DEFERRED_JOIN_OFFSET": Setting(
                200,
                Integer(0),
                "From this `offset` on, article listings walk the offset over ids alone "
                "and fetch the rows after.",
            ),
            "API_COUNT_CACHE": Setting(
                True,
                Boolean(),
                "Keep listing totals (the API's `total_count`, a section's page count) until "
                "an article joins or leaves the listing.",
            ),
        },
    ),
    Section(
        "Webhooks",
        ("webhooks.md",),
        {
            "WEBHOOK_TASK_BACKEND": Setting(
                "default",
                Alias("TASKS"),
                "The django-tasks backend deliveries are enqueued on; retries need one that "
                "can defer tasks, such as django_tasks_db's `DatabaseBackend` (`prism_news.W005`).",
            ),
            "WEBHOOK_TASK_QUEUE": Setting(
                "default",
                Text(empty=False),
                "The queue on that backend (run `db_worker --queue-name` on it).",
            ),
            "WEBHOOK_TIMEOUT": Setting(
                5,
                POSITIVE_NUMBER,
                "Seconds one attempt may take in all: connecting, sending and reading the "
                "whole answer. Past it, the attempt is a timeout (and retried).",
            ),
            "WEBHOOK_CONCURRENCY": Setting(
                4,
                Integer(1),
                "Attempts one worker process makes at once, each to a different endpoint "
                "(an endpoint gets one attempt at a time from a process).",
            ),
            "WEBHOOK_LEASE_MARGIN": Setting(
                30,
                POSITIVE_NUMBER,
                "Seconds added to `WEBHOOK_TIMEOUT` to make an attempt's lease: a delivery "
                "still sending when its lease runs out is taken as lost (its worker died) "
                "and tried again.",
            ),
            "WEBHOOK_MAX_ATTEMPTS": Setting(
                8,
                Integer(1),
                "Attempts in all, the first one included, before a delivery is marked failed.",
            ),
            "WEBHOOK_RETRY_BASE_DELAY": Setting(
                30,
                POSITIVE_NUMBER,
                "Seconds before the first retry, counted from the end of the failed attempt; "
                "retry n waits this times 2**(n-1).",
            ),
            "WEBHOOK_RETRY_MAX_DELAY": Setting(
                3600, POSITIVE_NUMBER, "The longest wait between two attempts, in seconds."
            ),
            "WEBHOOK_RETRY_JITTER": Setting(
                0.2,
                Number(at_least=0, below=1),
                "Each wait is multiplied by a random factor in [1 - jitter, 1 + jitter].",
            ),
            "WEBHOOK_ALLOWED_NETWORKS": Setting(
                [],
                ListOf(Network()),
                "Networks, e.g. `['127.0.0.1/32']`, that endpoints may reach although they are "
                "loopback, private, link-local or otherwise not public.",
            ),
            "WEBHOOK_RETENTION_DAYS": Setting(
                30,
                Integer(1),
                "`prune_webhook_deliveries` deletes finished deliveries older than this.",
            ),
        },
    ),
    Section(
        "Importing",
        ("provenance.md",),
        {
            "IMPORT_MEDIA_ROOT": Setting(
                "",
                Text(),
                "The folder `import_articles` reads `hero_image` files from (after symlinks, "
                "nothing outside it). Empty: the import file's own folder, and no images at "
                "all from standard input.",
            ),
            "IMPORT_TEXT_MAX_LENGTH": Setting(
                20_000,
                Integer(1),
                "The longest text in one body block an import accepts (a paragraph's HTML, a "
                "quotation, a list item), in characters.",
            ),
            "IMPORT_BODY_MAX_LENGTH": Setting(
                200_000,
                Integer(1),
                "The longest body an import accepts, in characters of its JSON.",
            ),
        },
    ),
    Section(
        "Operations",
        ("operations.md",),
        {
            "HEALTH_QUEUE_MAX_AGE": Setting(
                300,
                Integer(1),
                "The health endpoint (`prism_news.urls.health_urls()`) reports the queue "
                'as failing (status "degraded", still 200) when the oldest task due has '
                "waited longer than this many seconds (no worker is running, or it cannot "
                "keep up).",
            ),
        },
    ),
    Section(
        "Preview",
        ("preview.md",),
        {
            "PREVIEW_TOKEN_MAX_AGE": Setting(
                1800, Integer(1), "Seconds a preview token opens its draft."
            ),
        },
    ),
)

#: Every setting by key, in the order of the sections.
SETTINGS = {key: setting for section in SECTIONS for key, setting in section.settings.items()}
DEFAULTS = {key: setting.default for key, setting in SETTINGS.items()}


def user_settings():
    """``settings.PRISM_NEWS`` as the project wrote it (``{}`` when left out)."""
    return getattr(settings, "PRISM_NEWS", {}) or {}


@cache
def get_settings():
    """The effective settings: defaults overlaid with ``settings.PRISM_NEWS``."""
    return MappingProxyType({**DEFAULTS, **user_settings()})


@receiver(setting_changed)
def _reload(*, setting, **kwargs):
    if setting == "PRISM_NEWS":
        get_settings.cache_clear()


def default_category_page_size():
    """Model default for CategoryIndexPage.page_size (a callable, so migrations stay stable)."""
    return get_settings()["CATEGORY_PAGE_SIZE_DEFAULT"]
