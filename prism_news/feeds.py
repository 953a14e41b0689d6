"""RSS 2.0 and Atom feeds of the newest articles, per language, per section and per
author (``prism_news.author_pages``).

Built on Django's syndication framework. Every item carries the title, link,
summary, dates, section, byline, the AI involvement (as a readable label and as
the IPTC digital source type) and the original article it is based on. Only
what an anonymous reader may see is listed (``visible_q``). URLs are in
:mod:`prism_news.urls`.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, override
from django.views.decorators.http import conditional_page
from wagtail.models import Locale

from .ai_involvement import DIGITAL_SOURCE_TYPES, IPTC_DIGITAL_SOURCE_TYPE, AIInvolvement
from .author_pages import author_articles, author_home, find_author
from .caching import depends_on, depends_on_pages, mark_cacheable
from .caching.dependencies import byline_tag
from .conf import get_settings
from .metadata import description as description_of
from .models import ArticlePage, CategoryIndexPage, NewsroomSettings
from .navigation import find_site, localized_homes
from .representations.byline import author_path
from .representations.card import CARD
from .representations.corrections import newest_note_date
from .representations.prefetch import localize_authors, prepare_cards
from .visibility import visible_q


@dataclass
class FeedScope:
    """What one feed request covers: a language, and a section or the whole site."""

    language: str
    site: object
    home: object
    section: object = None
    #: An author's feed: the author, as their page shows them.
    author: object = None
    author_url: str = ""
    articles: list = field(default_factory=list)
    feed_url: str = ""
    site_name: str = ""

    @property
    def page(self):
        return self.section or self.home


def feed_scope(request, section=None):
    """The scope for the active language (the URL's language prefix); 404 if the site
    has no published home page in that language or no visible section at ``section``."""
    try:
        locale = Locale.objects.get_for_language(get_language())
    except (Locale.DoesNotExist, LookupError):
        raise Http404("No such language") from None
    site = find_site(None, request)
    home = localized_homes(site).get(locale.language_code)
    if home is None:
        raise Http404("The site is not published in this language")
    scope = FeedScope(language=locale.language_code, site=site, home=home)
    if section is not None:
        scope.section = (
            CategoryIndexPage.objects.descendant_of(home)
            .filter(visible_q(), url_path=f"{home.url_path}{section.strip('/')}/")
            .first()
        )
        if scope.section is None:
            raise Http404("No such section")
    # Any article of the language joining, leaving or moving (a section's feed lists its
    # subsections' too); the home page and section shown; the newsroom's name and the
    # site's address. The articles shown add their own tags (prepare_cards).
    depends_on(f"members:{locale.language_code}", "settings", "nav")
    depends_on_pages([home, scope.section])
    articles = (
        ArticlePage.objects.descendant_of(scope.page)
        .filter(locale=locale)
        .listed()
        .newest_first()
        .for_cards()
        .prefetch_related("sources", "article_authors__author")
    )
    scope.articles = prepare_cards(articles[: get_settings()["FEED_LENGTH"]])
    localize_authors(scope.articles)
    return scope


def author_feed_scope(request, slug):
    """The scope of an author's feed in the active language: the articles their page
    lists first. 404 where their page is (``prism_news.author_pages``)."""
    language, site, _homes, home = author_home(request)
    author, versions = find_author(slug, language)
    key = author.translation_key
    # As the author's page, and the newsroom's name and the site's address.
    depends_on(f"author:{key}", byline_tag(key), "settings", "nav")
    depends_on_pages([home])
    articles = author_articles(key, home).prefetch_related("sources", "article_authors__author")
    scope = FeedScope(language=language, site=site, home=home, author=author)
    scope.articles = prepare_cards(articles[: get_settings()["FEED_LENGTH"]])
    if language not in versions and not scope.articles:
        raise Http404("This author has no page in this language.")
    localize_authors(scope.articles)
    scope.author_url = site.root_url + author_path(author.slug, language)
    return scope


def ai_term(article):
    return DIGITAL_SOURCE_TYPES[AIInvolvement(article.ai_involvement)]


class NewsRssFeed(Rss201rev2Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # The badge readers see, and the same fact in IPTC's vocabulary for machines.
        handler.addQuickElement("category", item["ai_label"])
        handler.addQuickElement("category", item["ai_term"], {"domain": IPTC_DIGITAL_SOURCE_TYPE})
        # RSS allows one <source>; news aggregators use it for the original outlet.
        if item["sources"]:
            first = item["sources"][0]
            handler.addQuickElement("source", first.publisher, {"url": first.url})


class NewsAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        ai = {"term": item["ai_term"], "label": item["ai_label"]}
        handler.addQuickElement("category", "", {**ai, "scheme": IPTC_DIGITAL_SOURCE_TYPE})
        # RFC 4287: rel="via" names the source of the information in the entry.
        for source in item["sources"]:
            attrs = {"rel": "via", "href": source.url, "title": source_label(source)}
            if source.language_tag:
                attrs["hreflang"] = source.language_tag
            handler.addQuickElement("link", "", attrs)


def source_label(source):
    return f"{source.publisher}: {source.title}" if source.publisher else source.title


class ArticleFeed(Feed):
    """The newest live, public articles of a site or section in one language."""

    def get_object(self, request, section=None, author=None):
        if author is not None:
            scope = author_feed_scope(request, author)
        else:
            scope = feed_scope(request, section)
        scope.feed_url = scope.site.root_url + request.path
        return scope

    def get_feed(self, obj, request):
        # Labels and the feed's language follow the feed's language.
        with override(obj.language):
            return super().get_feed(obj, request)

    def items(self, obj):
        return obj.articles

    def title(self, obj):
        site_name = self.site_name(obj)
        if obj.author is not None:
            return f"{site_name}: {obj.author.name}"
        return f"{site_name}: {obj.section.title}" if obj.section else site_name

    def link(self, obj):
        return obj.author_url or obj.page.full_url

    def feed_url(self, obj):
        return obj.feed_url

    def description(self, obj):
        if obj.author is not None:
            return gettext("The latest articles by %(author)s from %(site)s") % {
                "author": obj.author.name,
                "site": self.site_name(obj),
            }
        if obj.section is not None:
            intro = description_of(obj.section)
            if intro:
                return intro
            return gettext("The latest %(section)s articles from %(site)s") % {
                "section": obj.section.title,
                "site": self.site_name(obj),
            }
        return gettext("The latest articles from %(site)s") % {"site": self.site_name(obj)}

    subtitle = description

    def site_name(self, obj):
        if not obj.site_name:
            newsroom = NewsroomSettings.for_site(obj.site)
            obj.site_name = newsroom.publisher_name or obj.site.site_name
        return obj.site_name

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.full_url

    def item_guid(self, item):
        # A tag URI (RFC 4151): stable when a slug changes, unique per page (each
        # language version is its own page). Live pages always have first_published_at.
        first = item.first_published_at or item.published_at
        host = urlsplit(item.full_url).hostname
        return f"tag:{host},{first:%Y-%m-%d}:prism_news/page/{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        parts = []
        thumbnail = widest_card_rendition(item)
        if thumbnail is not None:
            image = '<p><img src="{}" alt="{}"></p>'
            parts.append(format_html(image, thumbnail.full_url, item.hero_image_alt))
        parts.append(format_html("<p>{}</p>", item.summary))
        sources = list(item.sources.all())
        if sources:
            links = format_html_join(
                ", ", '<a href="{}">{}</a>', ((s.url, source_label(s)) for s in sources)
            )
            parts.append(format_html("<p>{} · {}: {}</p>", item.ai_badge, gettext("Source"), links))
        else:
            parts.append(format_html("<p>{}</p>", item.ai_badge))
        # Corrections and updates, newest first: in RSS, which has no date for a
        # change, this is how a reader's app shows that the item changed.
        parts.extend(
            format_html(
                '<p class="prism-correction">{} ({}): {}</p>',
                note["label"],
                date_format(localtime(note["date"]), "DATE_FORMAT") if note["date"] else "",
                note["text"],
            )
            for note in item.correction_notes
        )
        return "".join(parts)

    def item_pubdate(self, item):
        return item.published_at or item.first_published_at

    def item_updateddate(self, item):
        # The latest change readers could see: a republished correction counts.
        # A correction or update note counts: Atom's <updated> moves, <published> stays.
        noted = newest_note_date(item)
        dates = [
            d for d in (item.updated_at, item.last_published_at, item.published_at, noted) if d
        ]
        return max(dates) if dates else None

    def item_author_name(self, item):
        names = [author.name for author in item.localized_authors()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [item.category.title] if item.category is not None else []

    def item_extra_kwargs(self, item):
        return {
            "ai_label": item.ai_badge,
            "ai_term": ai_term(item),
            "sources": list(item.sources.all()),
        }


def widest_card_rendition(article):
    """The largest hero rendition the card loader already fetched (no extra query)."""
    if article.hero_image is None:
        return None
    specs = CARD.rendition_specs()
    renditions = article.hero_image.get_renditions(*specs) if specs else {}
    return max(renditions.values(), key=lambda r: r.width, default=None)


class RssArticleFeed(ArticleFeed):
    feed_type = NewsRssFeed


class AtomArticleFeed(ArticleFeed):
    feed_type = NewsAtomFeed


FEEDS = {"rss": RssArticleFeed(), "atom": AtomArticleFeed()}


# A hash of the body as ETag and the newest item's change as Last-Modified, with
# 304 answers to If-None-Match / If-Modified-Since: ConditionalGetMiddleware
# applied to these views alone, so it works whatever the project's middleware.
# With the response cache, the cache answers them and keeps the feed (docs/caching.md).
@conditional_page
def feed_view(request, kind, section=None):
    mark_cacheable(parameters=())
    return FEEDS[kind](request, section=section)


@conditional_page
def author_feed_view(request, kind, slug):
    """An author's feed in the request's language (``/authors/<slug>/feeds/rss/``)."""
    mark_cacheable(parameters=())
    return FEEDS[kind](request, author=slug)
