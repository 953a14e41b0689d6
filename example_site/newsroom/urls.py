from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as api_v3
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from prism_news.api.router import api_router
from prism_news.urls import author_urls, feed_urls, health_urls, search_urls, sitemap_urls

from . import preview_client
from .security import throttled_password_view

# Wagtail's password forms for private pages and document collections, throttled like the
# logins (django-axes): these paths come before Wagtail's own, which they replace.


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links to:
    the icon the pages link to (prism_news/base.html)."""
    return HttpResponsePermanentRedirect(static("prism_news/favicon.svg"))


page_password_form = path(
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
    throttled_password_view(wagtail_views.authenticate_with_password, "page-password"),
    name="wagtailcore_authenticate_with_password",
)

urlpatterns = [
    path("favicon.ico", favicon),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttled_password_view(
            wagtaildocs_serve.authenticate_with_password, "collection-password"
        ),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router().urls),
    path("api/v3/", api_v3.urls),
    # /sitemap.xml (every language, with hreflang), /news-sitemap.xml, /robots.txt
    *sitemap_urls(),
    # /healthz/ for the load balancer: database, cache, task queue (docs/operations.md)
    *health_urls(),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The demo's headless preview client (/preview/, /en/preview/), the feeds, the search page
# (/search/, /en/search/), the author pages (/authors/<slug>/), then the pages:
# Japanese unprefixed, every other language under its prefix.
urlpatterns += i18n_patterns(
    path("preview/", preview_client.page, name="preview_client"),
    path("preview/client.js", preview_client.script, name="preview_client_script"),
    # Before feed_urls(), whose section feeds would take /authors/<slug>/feeds/rss/.
    *author_urls(),  # /authors/<slug>/, /en/authors/<slug>/feeds/rss/
    *feed_urls(),  # /feeds/rss/, /en/feeds/atom/, /politics/feeds/rss/, ...
    *search_urls(),  # /search/?q=, /en/search/?q=
    page_password_form,
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
