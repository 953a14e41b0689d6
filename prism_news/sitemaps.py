"""Sitemaps: every visible page in every language with its hreflang alternates,
a Google News sitemap of the latest articles, and a robots.txt naming both.

``PageSitemap`` extends ``wagtail.contrib.sitemaps``: Wagtail's own lists the
default site's tree in one language; this one lists the tree in every language
the site is published in, adds ``<xhtml:link rel="alternate" hreflang>`` for each
translation (and ``x-default``), and uses prism_news's visibility rule
(``visible_q``: live, public, not expired) instead of ``.live().public()``.
URLs are in :mod:`prism_news.urls`.
"""

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from django.views.decorators.http import conditional_page, require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.models import Page

from .conf import get_settings
from .models import ArticlePage, NewsroomSettings
from .navigation import find_site
from .visibility import visible_q


class _SiteTreesMixin:
    def site_pages(self, model=Page):
        """``model`` pages a reader may see, in every language of the site."""
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True).filter(live=True)
        paths = roots.values_list("path", flat=True)
        trees = reduce(or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))
        return model.objects.filter(trees).filter(visible_q())


class PageSitemap(_SiteTreesMixin, Sitemap):
    def items(self):
        return self.site_pages().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        alternates = self.alternates(pages)
        urls = []
        for item in pages:
            for info in item.get_sitemap_urls(self.request):
                if "alternates" not in info:
                    info["alternates"] = alternates.get(item.translation_key, [])
                urls.append(info)
        lastmods = [info.get("lastmod") for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def alternates(self, pages):
        """``{translation_key: [{"lang_code", "location"}...]}``, one query for all pages."""
        keys = {page.translation_key for page in pages}
        versions = defaultdict(list)
        for version in self.site_pages().filter(translation_key__in=keys).select_related("locale"):
            versions[version.translation_key].append(version)
        default_language = get_supported_language_variant(settings.LANGUAGE_CODE)
        result = {}
        for key, group in versions.items():
            if len(group) < 2:
                continue
            links = []
            for version in sorted(group, key=lambda v: v.locale.language_code):
                location = version.get_full_url(self.request)
                links.append({"lang_code": version.locale.language_code, "location": location})
                if version.locale.language_code == default_language:
                    links.append({"lang_code": "x-default", "location": location})
            result[key] = links
        return result


def news_language(language_code):
    """Google News wants ISO 639 codes, except zh-cn and zh-tw for Chinese."""
    code = language_code.lower()
    chinese = {"zh-hans": "zh-cn", "zh-cn": "zh-cn", "zh-hant": "zh-tw", "zh-tw": "zh-tw"}
    return chinese.get(code) or code.split("-")[0]


class NewsSitemap(_SiteTreesMixin, Sitemap):
    """Articles published in the last ``NEWS_SITEMAP_HOURS`` hours (Google: at most 1,000)."""

    limit = 1000

    def items(self):
        since = timezone.now() - datetime.timedelta(hours=get_settings()["NEWS_SITEMAP_HOURS"])
        newsroom = NewsroomSettings.for_site(self.get_wagtail_site())
        self.publication = newsroom.publisher_name or (
            self.get_wagtail_site().site_name or getattr(settings, "WAGTAIL_SITE_NAME", "")
        )
        return (
            self.site_pages(ArticlePage)
            .filter(published_at__gte=since, published_at__lte=timezone.now())
            .newest_first()
            .select_related("locale")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        for article in self.paginator.page(page).object_list:
            urls.append(
                {
                    "location": article.get_full_url(self.request),
                    "lastmod": article.last_published_at,
                    "news": {
                        "name": self.publication,
                        "language": news_language(article.locale.language_code),
                        "publication_date": timezone.localtime(article.published_at).isoformat(),
                        "title": article.title,
                    },
                }
            )
        lastmods = [info["lastmod"] for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


# Django's sitemap view sets Last-Modified; conditional_page adds the ETag and the 304s.
@conditional_page
def sitemap_view(request):
    return wagtail_sitemap_views.sitemap(request, {"pages": PageSitemap})


@conditional_page
def news_sitemap_view(request):
    return wagtail_sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="prism_news/news_sitemap.xml"
    )


@require_GET
def robots_txt(request):
    site = find_site(None, request)
    lines = ["User-agent: *"]
    try:
        lines.append(f"Disallow: {reverse('wagtailadmin_home')}")
    except NoReverseMatch:
        lines.append("Disallow:")
    for name in ("prism_news_sitemap", "prism_news_news_sitemap"):
        try:
            lines.append(f"Sitemap: {site.root_url}{reverse(name)}")
        except NoReverseMatch:
            continue
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
