"""Settings for the example newsroom, configured from the environment.

DATABASE_URL   default: a SQLite file next to manage.py
SECRET_KEY     required unless DEBUG is on
DEBUG          "1"/"true" to turn on (default off)
ALLOWED_HOSTS  comma-separated (default: localhost names when DEBUG is on)
SITE_URL       where readers reach the site (default http://127.0.0.1:8000): absolute
               URLs in pages, the API, feeds and sitemaps; load_demo points the Site at it
REDIS_URL      the caches (prism_news's responses, Wagtail's own) in Redis through
               django-redis, e.g. redis://127.0.0.1:6379/0; default: prism_news's in a
               database table (`createcachetable`), Wagtail's in local memory
CONN_MAX_AGE   seconds a database connection is kept between requests (default 0: see
               DATABASES below; e.g. 60 under gunicorn, never under runserver)
LOG_LEVEL      prism_news's log level on stderr (default INFO)
FRONTEND_CACHE_URL  an HTTP cache in front of the site that honours PURGE (Varnish, see
               deploy/varnish/prism_news.vcl), e.g. http://127.0.0.1:6081; purged on changes
PROXY_COUNT    how many reverse proxies stand in front of the site (default 0): with 1 or
               more, X-Forwarded-Proto says whether the request came over HTTPS and
               X-Forwarded-For gives the client's address to the login throttle
HSTS_SECONDS   Strict-Transport-Security's max-age when SITE_URL is https:// (default one
               year; 0 turns it off); HSTS_PRELOAD=1 adds "preload" (default off)
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local use).")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105  (only ever with DEBUG on)

# The address readers reach the site on. Wagtail builds absolute page URLs from the
# Site record (hostname and port), so `load_demo` sets the default Site from this;
# the API and the admin use it directly.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "ALLOWED_HOSTS",
        f"localhost,127.0.0.1,[::1],testserver,{urlsplit(SITE_URL).hostname}" if DEBUG else "",
    ).split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "home",
    "prism_news",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.forms",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail_headless_preview",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

# Hardening (issue 19): the Content-Security-Policy (django-csp) and the login throttle
# (django-axes); their settings are in "Security" at the end.
INSTALLED_APPS += ["csp", "axes"]

MIDDLEWARE = [
    # First: every answer, and every log line written while making it, has the request id.
    "prism_news.request_id.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: a cached page or API answer costs no session, locale or routing.
    "prism_news.caching.middleware.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: each page change in the admin commits whole or not at all.
    "prism_news.admin_transactions.AtomicPageAdminMiddleware",
]

# Hardening (issue 19). After the request id, before SecurityMiddleware: every answer gets
# its policy, cached ones too (the response cache runs inside). Axes last, as its docs say: it turns
# a lockout into its answer (429).
MIDDLEWARE[1:1] = [
    "newsroom.security.ContentSecurityPolicyMiddleware",
    "newsroom.security.MediaHeadersMiddleware",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Persistent connections: CONN_MAX_AGE seconds (default 0, a connection per request).
# `runserver` answers each request in a new thread, and a persistent connection belongs to
# its thread: kept open, they pile up until PostgreSQL refuses clients. Set CONN_MAX_AGE
# (e.g. 60) only under a server with a fixed number of threads (gunicorn, uWSGI): at most
# one connection per worker thread then. A kept connection is tested before each request
# (CONN_HEALTH_CHECKS), so one the database dropped is replaced instead of failing it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads, the task worker and commands all write this one file.
    # WAL lets readers read while one writer writes; IMMEDIATE transactions take the write
    # lock when they begin, so a writer waits for another (up to `timeout` seconds) instead
    # of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches. "default" is Wagtail's (renditions, and anything else that only saves work):
# when Redis is down it is skipped, logged, never an error. "prism_news" holds prism_news's
# response cache and its clock: prism_news itself degrades when it fails (no cache for that
# request) and must see every failure, so it never ignores exceptions.
# Production keeps both in Redis. The embedded default must be shared by the web server,
# the worker and cron, so prism_news's is a table in the database (make demo creates it).
if os.environ.get("REDIS_URL"):
    REDIS_OPTIONS = {
        # A Redis that hangs must not hang readers: give up quickly, serve without the cache.
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {**REDIS_OPTIONS, "IGNORE_EXCEPTIONS": True},
        },
        "prism_news": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "newsroom-prism",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    # Not one traceback per cache call while Redis is down (thousands a second under
    # load): prism_news logs each outage once per process, and /healthz/ reports it.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        "prism_news": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "prism_news_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
# Purge the edge on every change (prism_news.caching; Wagtail's frontend_cache backend).
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "edge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_URL"],
        }
    }

# Errors and warnings to stderr, where a process manager, container runtime or systemd
# collects them: every server error with its traceback (django.request), prism_news's
# refusals and failures, each line with the request's id (X-Request-ID on the answer).
# LOG_LEVEL (default INFO) sets prism_news's level; Django's own logs warnings and up.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "prism_news.request_id.RequestIDFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # One handler (Django's own console handler would print errors twice under DEBUG);
        # a 404 or 400 is not an error of the site: 5xx only.
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"level": "ERROR"},
        "prism_news": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Japanese is the default and is served unprefixed; English under /en/.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A new translation stays a draft until its translator publishes it (prism_news.W002).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The demo runs without collectstatic: let whitenoise find app static files itself.
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Prism News"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_URL)
# Japanese-capable search (docs/search.md): analysed per locale, on PostgreSQL and SQLite.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "prism_news.search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILAPI_BASE_URL = SITE_URL
# Wagtail's v3 endpoints take at most this many items; prism_news's API_LIMIT_MAX (50)
# bounds both API versions, so v3 takes as many as v2.
WAGTAILAPI_LIMIT_MAX = 50

# Background tasks (webhook deliveries, and Wagtail's own) go through the database;
# run the worker next to the web server: python manage.py db_worker
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PRISM_NEWS = {
    # AI analysis and AI-generated articles go live only after a human review.
    "REQUIRE_AI_REVIEW": True,
    # A newsroom-only site: every v3 endpoint (images, documents, any page listing) gets
    # the same input checks as the articles, and the OpenAPI document states them.
    "API_V3_CHECK_ALL_ENDPOINTS": True,
    # Images are uploaded for articles here: make their renditions before anyone reads them.
    "RENDITIONS_ON_UPLOAD": True,
    # Its own cache alias (above): shared by every process, never ignoring errors.
    "RESPONSE_CACHE_ALIAS": "prism_news",
    # The demo's webhook receivers run on this machine; a real site has none here.
    "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.1/32"] if DEBUG else [],
}

# The editor's Preview opens the front end's preview page with a token. The demo's
# own client (newsroom/preview_client/) lives on this site: relative URLs work on any
# host and port. A real front end is an absolute URL, e.g. "https://www.example.com/preview/".
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": {"ja": "/preview/", "en": "/en/preview/"}},
}
# An approved workflow whose publication the review policy refuses leaves the page a
# draft, with the refusal in its history, rather than an error page (prism_news.W004).
WAGTAIL_FINISH_WORKFLOW_ACTION = "prism_news.workflow_actions.publish_workflow_state"

# Security (issue 19) ----------------------------------------------------------------
# Behind HTTPS (SITE_URL is https://): redirect plain HTTP, HSTS, cookies only over TLS,
# so `manage.py check --deploy` has nothing to say. HSTS covers subdomains of the site's
# own host; "preload" is a promise for the whole domain that its owner makes
# (hstspreload.org), so it is off unless HSTS_PRELOAD says so, and Django's reminder
# (security.W021) is silenced while it is off.
HTTPS = urlsplit(SITE_URL).scheme == "https"
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT:
    # The proxy terminates TLS and must set X-Forwarded-Proto (and overwrite a client's).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Load balancers check health over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp, through newsroom.security): this is the policy of
# the site's HTML pages; the admin gets a few allowances on top, and non-HTML answers
# (API, feeds, media) a policy that allows nothing (newsroom/security.py).
# prism_news's templates need no inline script or style (docs/frontend.md).
_MEDIA_ORIGIN = (
    [f"{urlsplit(MEDIA_URL).scheme}://{urlsplit(MEDIA_URL).netloc}"]
    if urlsplit(MEDIA_URL).netloc
    else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_MEDIA_ORIGIN],
        "media-src": [SELF, *_MEDIA_ORIGIN],
        # Embedded players (YouTube, Vimeo, ...) from the oEmbed providers; the site itself
        # for the admin's preview, which frames the preview client.
        "frame-src": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "upgrade-insecure-requests": HTTPS,
    }
}
# Editors' avatars from the site, not from Gravatar (a third party the policy refuses and
# that would learn who works in the admin).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Login throttle (django-axes): 5 wrong passwords for one username from one address lock
# that pair out for 15 minutes; Wagtail's page and collection password forms count the
# same way (newsroom.security.throttled_password_view). Without a proxy the client is
# REMOTE_ADDR and X-Forwarded-For is ignored; behind PROXY_COUNT proxies, each appending
# to X-Forwarded-For, the header holds PROXY_COUNT addresses (the client's first) and
# django-ipware counts the proxies after the client: PROXY_COUNT - 1. A header with more
# addresses (a forged one) is not believed: the address is then the proxy's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
