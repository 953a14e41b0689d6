"""What the header and footer of every page show, in the page's own language.

The masthead (publisher name and logo), the sections of the site in this
language, a language switcher that leads to the same page in another language
(or to that language's home page when the page has no translation there), the
policy pages and the feeds. A handful of queries per page, however many
sections or translations there are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_language_info, override
from wagtail.coreutils import get_content_languages
from wagtail.models import Page, Site

from .caching import depends_on
from .models import ArticlePage, CategoryIndexPage, DisclaimerPage, NewsroomSettings
from .translation import live_translations
from .visibility import visible_q


@dataclass
class LanguageLink:
    code: str
    name: str  # the language's name in that language: "日本語", "English"
    url: str
    current: bool
    translated: bool  # False: the link goes to that language's home page


@dataclass
class Chrome:
    language: str
    site_name: str
    home: Page | None
    site: Site | None = None
    logo: object = None
    sections: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    languages: list[LanguageLink] = field(default_factory=list)
    feeds: dict = field(default_factory=dict)
    current_section_id: int | None = None
    #: The search page in this language (the masthead's search form), or None.
    search: str | None = None


def page_language(page):
    """The language a page is written in (its locale), else the active language."""
    if getattr(page, "locale_id", None):
        return page.locale.language_code
    return get_language() or settings.LANGUAGE_CODE


def find_site(page, request=None):
    site = Site.find_for_request(request) if request is not None else None
    if site is None and getattr(page, "pk", None):
        site = page.get_site()
    if site is None:
        site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    return site


def localized_homes(site):
    """The site's home page in each language it is published in, by language code."""
    if site is None:
        return {}
    homes = (
        site.root_page.get_translations(inclusive=True)
        .filter(visible_q())
        .select_related("locale")
        .specific(defer=True)
    )
    return {home.locale.language_code: home for home in homes}


def feed_url(kind, language, section=None):
    """The path of a feed (``kind`` "rss" or "atom") in ``language``, or None when the
    project has not included prism_news's feed URLs."""
    try:
        with override(language):
            if section is None:
                return reverse("prism_news_feed", kwargs={"kind": kind})
            return reverse("prism_news_section_feed", kwargs={"kind": kind, "section": section})
    except NoReverseMatch:
        return None


def search_url(language):
    """The path of the reader search page in ``language``, or None when the project has
    not included prism_news's search URL (``prism_news.urls.search_urls``)."""
    try:
        with override(language):
            return reverse("prism_news_search")
    except NoReverseMatch:
        return None


def section_path(category, home):
    """A section's path under its home page, as used in feed URLs ("politics")."""
    return category.url_path[len(home.url_path) :].strip("/")


def site_chrome(page, request=None):
    """The masthead, sections, language switcher, policies and feeds for ``page``
    (any page, or None outside the page tree), in the page's language."""
    depends_on("nav", "settings")
    language = page_language(page)
    site = find_site(page, request)
    homes = localized_homes(site)
    home = homes.get(language) or (site.root_page if site else None)
    newsroom = None
    if site is not None and isinstance(page, ArticlePage):
        # An article loads the settings for its disclaimer and structured data anyway.
        page.__dict__.setdefault("site", site)
        newsroom = page.newsroom_settings
    elif request is not None and Site.find_for_request(request) == site:
        newsroom = NewsroomSettings.for_request(request)  # cached on the request
    elif site is not None:
        newsroom = NewsroomSettings.for_site(site)
    site_name = (
        (newsroom.publisher_name if newsroom else "")
        or (site.site_name if site else "")
        or getattr(settings, "WAGTAIL_SITE_NAME", "")
    )
    chrome = Chrome(
        language=language,
        site_name=site_name,
        home=home,
        site=site,
        logo=newsroom.publisher_logo if newsroom else None,
    )
    if home is not None:
        chrome.sections = list(
            CategoryIndexPage.objects.descendant_of(home)
            .filter(visible_q(), locale__language_code=language)
            .order_by("path")
        )
        chrome.policies = list(
            DisclaimerPage.objects.descendant_of(home)
            .filter(visible_q(), locale__language_code=language)
            .order_by("path")
        )
    chrome.current_section_id = _current_section(page, chrome.sections)
    chrome.languages = _language_links(page, language, homes, request)
    chrome.feeds = _feeds(page, home, language)
    chrome.search = search_url(language)
    return chrome


def _current_section(page, sections):
    path = getattr(page, "path", "") or ""
    for section in sections:
        if path.startswith(section.path):
            return section.pk
    return None


def _language_links(page, language, homes, request):
    versions = {}
    if getattr(page, "pk", None):
        versions = {other.locale.language_code: other for other in live_translations(page)}
        versions[language] = page
    links = []
    for code in get_content_languages():
        target, translated = versions.get(code), True
        if target is None:
            target, translated = homes.get(code), False
        if target is None:
            continue
        url = target.get_url(request)
        if url is None:
            continue
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                current=code == language,
                translated=translated,
            )
        )
    return links if len(links) > 1 else []


def _feeds(page, home, language):
    section = None
    if isinstance(page, CategoryIndexPage) and home is not None and page.pk:
        section = section_path(page, home)
    return {
        kind: url
        for kind in ("rss", "atom")
        if (url := feed_url(kind, language, section)) is not None
    }
