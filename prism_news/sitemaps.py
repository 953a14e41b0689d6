"""Sitemaps: an index, one sitemap per language in pages of ``SITEMAP_PAGE_SIZE`` with
hreflang alternates, a Google News sitemap of the latest articles, and a robots.txt.

``/sitemap.xml`` is a sitemap index (sitemaps.org): it names every page of every
language's sitemap (``/sitemap-ja.xml``, ``/sitemap-ja.xml?p=2`` ...) and the news
sitemap. A language's sitemap lists the pages of that language in the site's trees
(``path`` order) that a reader may see (``visible_q``: live, public, not expired; an
article from its ``published_at`` on, ``publication_dates``), each
with ``<xhtml:link rel="alternate" hreflang>`` for its translations (and ``x-default``).
At a hundred thousand pages, model instances would cost seconds: a page of a sitemap is
read as rows of the few values it shows (``ROW_FIELDS``), its alternates in one more
query, and its URLs are made from ``url_path`` (``page_urls``); only a page type that
makes its own URLs or sitemap entries is loaded as instances (one query per such type).

Every sitemap is kept in the response cache (``prism_news.caching``) under
``sitemap:<locale id>`` (docs/caching.md): a page appearing, disappearing, moving or
being republished invalidates the sitemaps of its language and of its translations'
languages (all of that language's pages, since one more page shifts every later one).
URLs are in :mod:`prism_news.urls`.
"""

import datetime
import math
from collections import defaultdict
from contextlib import suppress
from functools import reduce
from html import escape
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import get_supported_language_variant
from django.views.decorators.http import conditional_page, require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.models import Locale, Page

from .caching import depends_on, depends_until, mark_cacheable, sitemap_tag
from .caching.dependencies import EVERY_SITEMAP
from .conf import get_settings
from .models import ArticlePage, NewsroomSettings
from .navigation import find_site
from .page_urls import PageURLs, makes_own_urls
from .publication_dates import next_publication, only_listed
from .visibility import hiders, visible_q, with_hiders

#: What a sitemap reads of each page (and ``lastmod``, as Wagtail's sitemap takes it).
ROW_FIELDS = (
    "pk",
    "url_path",
    "content_type_id",
    "translation_key",
    "expire_at",
    "alias_of__expire_at",
)
#: No page number whose offset SQL could not take.
LAST_PAGE = 10**9


class _SiteTreesMixin:
    def site_pages(self, model=Page):
        """``model`` pages a reader may see, in every language of the site."""
        return site_pages(self.get_wagtail_site(), model)


def site_pages(site, model=Page):
    """``model`` pages of ``site`` a sitemap may list: those a reader may see, an article
    from its ``published_at`` on (each view keeps its answer no later than the next one)."""
    roots = list(
        with_hiders(site.root_page.get_translations(inclusive=True).filter(live=True)).only("path")
    )
    trees = reduce(or_, (Q(path__startswith=root.path) for root in roots), Q(pk__in=[]))
    # Without the parts that can hide nothing now (no view restriction, no alias): the
    # full condition made the count of 150,000 pages a plan costly enough for JIT.
    return only_listed(model.objects.filter(trees).filter(visible_q(hiders(roots))))


def _page_number(page):
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise PageNotAnInteger(page) from None
    if not 1 <= number <= LAST_PAGE:
        raise EmptyPage(page)
    return number


def _expiry(values):
    """The earliest of the expiry dates to come among ``values`` (None: none)."""
    now = timezone.now()
    return min((moment for moment in values if moment is not None and moment > now), default=None)


class LocaleSitemap(_SiteTreesMixin, Sitemap):
    """One language's pages, ``SITEMAP_PAGE_SIZE`` to a page, read as rows."""

    def __init__(self, request, locale):
        super().__init__(request)
        self.locale = locale
        self.limit = get_settings()["SITEMAP_PAGE_SIZE"]

    def items(self):
        return self.site_pages().filter(locale=self.locale).order_by("path")

    def _urls(self, page, protocol, domain):
        return self.page_urls(page)

    def page_urls(self, page):
        """The entries of page ``page`` (as given: ``?p=``) of this language's sitemap;
        ``EmptyPage`` past the end, ``PageNotAnInteger`` for no whole number."""
        number = _page_number(page)
        start = (number - 1) * self.limit
        lastmod = Coalesce("last_published_at", "latest_revision_created_at")
        rows = list(self.items().values(*ROW_FIELDS, lastmod=lastmod)[start : start + self.limit])
        if not rows and number > 1:
            raise EmptyPage(page)
        links = PageURLs(self.request)
        versions = self.translations(rows)
        instances = self.own_url_pages([*rows, *versions])
        alternates = self.alternates(rows, versions, links, instances)
        urls = []
        for row in rows:
            instance = instances.get(row["pk"])
            if instance is not None:
                infos = instance.get_sitemap_urls(self.request)
            else:
                location = links.full_url(row["url_path"])
                if location is None:
                    continue
                infos = [{"location": location, "lastmod": row["lastmod"]}]
            for info in infos:
                info.setdefault("alternates", alternates.get(row["translation_key"], []))
                urls.append(info)
        everything = [*rows, *versions]
        depends_until(_expiry(row[name] for row in everything for name in ROW_FIELDS[-2:]))
        lastmods = [info.get("lastmod") for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def translations(self, rows):
        """The visible versions of ``rows`` in the other languages (one query). By their
        keys, not with the page's own query as a subquery: PostgreSQL would sort the
        language's pages up to the page's end a second time."""
        keys = {row["translation_key"] for row in rows}
        if not keys:
            return []
        versions = self.site_pages().filter(translation_key__in=keys).exclude(locale=self.locale)
        return list(versions.values(*ROW_FIELDS, language=F("locale__language_code")))

    def own_url_pages(self, rows):
        """``{pk: specific page}`` for the rows whose type makes its own URLs (one query
        per such type; none for prism_news's and Wagtail's own)."""
        by_type = defaultdict(list)
        for row in rows:
            by_type[row["content_type_id"]].append(row["pk"])
        instances = {}
        for content_type_id, pks in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None or not makes_own_urls(model):
                continue
            for page in model.objects.filter(pk__in=pks).defer_streamfields():
                instances[page.pk] = page
        return instances

    def alternates(self, rows, versions, links, instances):
        """``{translation_key: [{"lang_code", "location"}...]}`` of the pages that have a
        visible translation."""
        own = self.locale.language_code
        group = defaultdict(list)
        for version in versions:
            group[version["translation_key"]].append(version)
        default_language = get_supported_language_variant(settings.LANGUAGE_CODE)
        result = {}
        for row in rows:
            others = group.get(row["translation_key"])
            if not others:
                continue
            links_of = []
            for language, version in sorted(
                [(own, row), *((v["language"], v) for v in others)], key=lambda pair: pair[0]
            ):
                instance = instances.get(version["pk"])
                if instance is not None:
                    location = instance.get_full_url(self.request)
                else:
                    location = links.full_url(version["url_path"])
                if location is None:
                    continue
                links_of.append({"lang_code": language, "location": location})
                if language == default_language:
                    links_of.append({"lang_code": "x-default", "location": location})
            result[row["translation_key"]] = links_of
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
        self.since = timezone.now() - datetime.timedelta(hours=get_settings()["NEWS_SITEMAP_HOURS"])
        newsroom = NewsroomSettings.for_site(self.get_wagtail_site())
        self.publication = newsroom.publisher_name or (
            self.get_wagtail_site().site_name or getattr(settings, "WAGTAIL_SITE_NAME", "")
        )
        return (
            self.site_pages(ArticlePage)
            .filter(published_at__gte=self.since, published_at__lte=timezone.now())
            .newest_first()
            .select_related("locale")
            .defer_streamfields()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        articles = list(self.paginator.page(page).object_list)
        for article in articles:
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
        # Kept until the oldest article leaves the window, an article expires, or one
        # dated later than now comes into it (none of which is a publish; the last is
        # recorded by the view).
        hours = datetime.timedelta(hours=get_settings()["NEWS_SITEMAP_HOURS"])
        if articles:
            depends_until(articles[-1].published_at + hours)
        depends_until(_expiry(article.expire_at for article in articles))
        lastmods = [info["lastmod"] for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


def language_sections(site):
    """``[(locale, pages, lastmod)]``: each language with its visible pages on ``site``
    (two queries), and the earliest expiry to come among them all."""
    now = timezone.now()
    pages = site_pages(site)
    found = (
        pages.order_by()
        .values("locale_id")
        .annotate(
            pages=Count("pk"),
            lastmod=Max(Coalesce("last_published_at", "latest_revision_created_at")),
            expires=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
    )
    rows = {row["locale_id"]: row for row in found}
    # The originals' expiry over the aliases alone (joined to every page, it cost a
    # hash of the whole page table).
    originals = pages.filter(alias_of__isnull=False).aggregate(
        first=Min("alias_of__expire_at", filter=Q(alias_of__expire_at__gt=now))
    )
    locales = Locale.objects.filter(pk__in=rows).order_by("language_code")
    sections = [
        (locale, rows[locale.pk]["pages"], rows[locale.pk]["lastmod"]) for locale in locales
    ]
    expiry = _expiry([originals["first"], *(row["expires"] for row in rows.values())])
    return sections, expiry


# Django's sitemap views set Last-Modified; conditional_page adds the ETag and the 304s
# when the response cache is off (with it, the cache answers them: docs/caching.md).
@conditional_page
def sitemap_index_view(request):
    """The sitemap index: every page of every language's sitemap, and the news sitemap."""
    mark_cacheable(parameters=())
    site = find_site(None, request)
    sections, expiry = language_sections(site)
    size = get_settings()["SITEMAP_PAGE_SIZE"]
    # Any language's count or dates; a language added (its home page published: "nav");
    # the site's address ("settings"); its newsroom's name is in the news sitemap only.
    languages = [sitemap_tag(locale.pk) for locale, _pages, _lastmod in sections]
    depends_on("nav", "settings", EVERY_SITEMAP, *languages)
    depends_until(expiry)
    next_publication()  # an article dated ahead joins a language's count then
    entries = []
    for locale, pages, lastmod in sections:
        location = site.root_url + reverse(
            "prism_news_language_sitemap", kwargs={"language": locale.language_code}
        )
        entries.append(SitemapIndexItem(location, lastmod))
        for number in range(2, math.ceil(pages / size) + 1):
            entries.append(SitemapIndexItem(f"{location}?p={number}", lastmod))
    with suppress(NoReverseMatch):  # a project may leave the news sitemap out
        entries.append(SitemapIndexItem(site.root_url + reverse("prism_news_news_sitemap"), None))
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    newest = max((lastmod for _locale, _pages, lastmod in sections if lastmod), default=None)
    if newest is not None:  # as Django's sitemap index: its newest sitemap's date
        response["Last-Modified"] = http_date(newest.timestamp())
    return response


@conditional_page
def language_sitemap_view(request, language):
    """One page (``?p=``) of the sitemap of one language (404 for a page past the end)."""
    mark_cacheable(parameters=("p",))
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise Http404("No sitemap for this language")
    depends_on(sitemap_tag(locale.pk), EVERY_SITEMAP, "settings")
    next_publication()  # an article dated ahead is listed then
    sitemap = LocaleSitemap(request, locale)
    page = request.GET.get("p", 1)
    try:
        urls = sitemap.page_urls(page)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of this sitemap") from None
    response = HttpResponse(urlset_xml(urls), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap view
    lastmod = getattr(sitemap, "latest_lastmod", None)
    if lastmod is not None:
        response["Last-Modified"] = http_date(lastmod.timestamp())
    return response


def urlset_xml(urls):
    """The ``<urlset>`` of ``urls`` (as Django's ``sitemap.xml`` template writes it):
    written directly, as tens of thousands of entries through the template engine
    cost seconds."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        'schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        lastmod = url.get("lastmod")
        if lastmod:
            parts.append(f"<lastmod>{_day(lastmod)}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
        for alternate in url.get("alternates") or ():
            language, location = escape(alternate["lang_code"]), escape(alternate["location"])
            parts.append(f'<xhtml:link rel="alternate" hreflang="{language}" href="{location}"/>')
        parts.append("</url>")
    parts.append("</urlset>\n")
    return "".join(parts)


def _day(moment):
    """``Y-m-d`` of a date, or of a datetime in the current time zone."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date().isoformat()
    return moment.isoformat()


@conditional_page
def news_sitemap_view(request):
    mark_cacheable(parameters=())
    # Any article joining or leaving, in any language; the publisher's name; the site.
    depends_on("members", "settings", "nav")
    next_publication()  # an article dated ahead comes into the window then
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
    # The index names every sitemap (the news one too); some crawlers read only robots.txt.
    for name in ("prism_news_sitemap", "prism_news_news_sitemap"):
        try:
            lines.append(f"Sitemap: {site.root_url}{reverse(name)}")
        except NoReverseMatch:
            continue
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
