"""URL helpers for a host project: feeds per language, sitemaps and robots.txt.

::

    from django.conf.urls.i18n import i18n_patterns
    from prism_news.urls import feed_urls, sitemap_urls

    # /sitemap.xml (the index), /sitemap-ja.xml, /news-sitemap.xml, /robots.txt
    urlpatterns += sitemap_urls()
    urlpatterns += i18n_patterns(
        *feed_urls(),  # /feeds/rss/, /en/feeds/atom/, /politics/feeds/rss/ ...
        path("", include(wagtail_urls)),
        prefix_default_language=False,
    )

The reader search page goes inside it too, before Wagtail's catch-all:
``*search_urls()`` (``/search/``, ``/en/search/``; see docs/frontend.md).

Author pages and their feeds go inside it too, before ``feed_urls()`` (whose section
feeds would otherwise take ``/authors/<slug>/feeds/rss/``) and Wagtail's catch-all:
``*author_urls()`` (``/authors/<slug>/``, ``/en/authors/<slug>/feeds/rss/``; see
docs/frontend.md).

The health endpoint for a load balancer goes outside it too:
``urlpatterns += health_urls()`` (``/healthz/``, see docs/operations.md).

Feeds go inside ``i18n_patterns`` (the prefix picks the language) and before
Wagtail's catch-all; sitemaps cover every language and go outside it.
"""

import re

from django.urls import path, re_path

from . import author_pages, feeds, health, search_page, sitemaps


def feed_urls():
    return [
        re_path(r"^feeds/(?P<kind>rss|atom)/$", feeds.feed_view, name="prism_news_feed"),
        re_path(
            r"^(?P<section>[\w-]+(?:/[\w-]+)*)/feeds/(?P<kind>rss|atom)/$",
            feeds.feed_view,
            name="prism_news_section_feed",
        ),
    ]


def sitemap_urls():
    return [
        path("sitemap.xml", sitemaps.sitemap_index_view, name="prism_news_sitemap"),
        re_path(
            r"^sitemap-(?P<language>[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.xml$",
            sitemaps.language_sitemap_view,
            name="prism_news_language_sitemap",
        ),
        path("news-sitemap.xml", sitemaps.news_sitemap_view, name="prism_news_news_sitemap"),
        path("robots.txt", sitemaps.robots_txt, name="prism_news_robots_txt"),
    ]


def health_urls(route="healthz/"):
    return [path(route, health.health, name="prism_news_health")]


def search_urls(route="search/"):
    """The reader search page, in each language under its prefix (inside
    ``i18n_patterns``). It takes the place of any page at the same path."""
    return [path(route, search_page.search_view, name="prism_news_search")]


def author_urls(route="authors/"):
    """Each author's page and feeds, in each language under its prefix (inside
    ``i18n_patterns``): ``/authors/<slug>/``, ``/authors/<slug>/feeds/rss/`` (and
    ``atom``). They take the place of any page at the same path."""
    prefix = "^" + re.escape(route)
    return [
        re_path(prefix + r"(?P<slug>[-\w]+)/$", author_pages.author_view, name="prism_news_author"),
        re_path(
            prefix + r"(?P<slug>[-\w]+)/feeds/(?P<kind>rss|atom)/$",
            feeds.author_feed_view,
            name="prism_news_author_feed",
        ),
    ]
