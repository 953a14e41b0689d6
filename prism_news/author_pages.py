"""Author pages: ``/authors/<slug>/`` in the default language, ``/en/authors/<slug>/`` in
English, and so on (``prism_news.urls.author_urls``; docs/frontend.md).

A page shows the author (name, role, biography, photo) in the page's language and the
articles of the request's site in that language whose byline names them (in any of the
author's translations), newest first, as the section pages' cards, ``AUTHOR_PAGE_SIZE``
to a page (``?page=N``). Only what every other door shows is listed: ``visible_q``, and
an article from its ``published_at`` on.

The slug is the same in every translation of an author (wagtail-localize synchronises
it). An author not translated into the page's language still has a page there while an
article in that language names them: it shows the author as written in the default
language (else their first), so the byline's link never leads nowhere. Otherwise an
unknown slug, an untranslated author with no article in the language, a page number
that is not a whole number or past the last page are 404s.

The response cache keeps each page under ``page`` alone, with ``author:<key>`` (the author
or a translation changed), ``byline:<key>`` (an article naming them appeared,
disappeared or changed byline: ``prism_news.caching.signals``), each article shown, and
the masthead's tags (``nav``, which a view restriction anywhere invalidates too).
"""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_supported_language_variant, override

from .caching import depends_on, depends_until, mark_cacheable
from .caching.dependencies import byline_tag
from .conf import get_settings
from .metadata import json_for_script, open_graph_locale
from .models import ArticlePage, Author
from .navigation import find_site, localized_homes, site_chrome
from .publication_dates import listed_count
from .representations.byline import author_path
from .representations.prefetch import prefetch_renditions, prepare_cards

#: Page numbers have at most this many digits (more is a 404 before any query).
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
#: The author's photo on their page.
PHOTO_SPEC = "fill-240x240"


def find_author(slug, language):
    """``(author, versions)``: the author named by ``slug`` as shown in ``language`` (their
    translation there, else the default language's version, else the first), and every
    version by language code. 404 for an unknown slug."""
    found = (
        Author.objects.filter(slug=slug)
        .order_by(
            Case(
                When(locale__language_code=language, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "pk",
        )
        .only("translation_key")
        .first()
    )
    if found is None:
        raise Http404("No such author.")
    versions = {
        author.locale.language_code: author
        for author in Author.objects.filter(translation_key=found.translation_key)
        .select_related("locale", "image")
        .order_by("pk")
    }
    default = get_supported_language_variant(settings.LANGUAGE_CODE)
    shown = versions.get(language) or versions.get(default) or next(iter(versions.values()))
    return shown, versions


def author_articles(translation_key, home):
    """The articles under ``home`` (a home page, in its language) whose byline names the
    author, that a listing may show, newest first, with what a card reads."""
    return (
        ArticlePage.objects.descendant_of(home)
        .filter(locale_id=home.locale_id)
        .by_author(translation_key)
        .listed()
        .newest_first()
        .for_cards()
    )


def author_home(request):
    """``(language, site, homes, home)`` for the request's language; 404 when the site
    has no published home page in it."""
    language = get_language()
    site = find_site(None, request)
    homes = localized_homes(site)
    home = homes.get(language)
    if home is None:
        raise Http404("This site has no home page in this language.")
    return language, site, homes, home


def author_view(request, slug):
    language, _site, homes, home = author_home(request)
    number = request.GET.get("page", "1")
    if not _PAGE_NUMBER.fullmatch(number):
        raise Http404("No such page of articles.")

    # The same page for every reader: kept under the page number alone.
    mark_cacheable(parameters=("page",))
    author, versions = find_author(slug, language)
    key = author.translation_key
    depends_on(f"author:{key}", byline_tag(key))
    own = versions.get(language)
    if own is not None and own.slug != slug:
        # The translation's slug was changed and not yet synchronised: its own address.
        return HttpResponsePermanentRedirect(own.get_url(language))

    articles = author_articles(key, home)
    paginator = Paginator(articles, get_settings()["AUTHOR_PAGE_SIZE"])
    # Counted once, with the earliest expiry to come: the count changes then.
    paginator.count, expires = listed_count(articles)
    depends_until(expires)
    if own is None and not paginator.count:
        raise Http404("This author has no page in this language.")
    try:
        page = paginator.page(int(number))
    except EmptyPage:
        raise Http404("No such page of articles.") from None
    page.object_list = prepare_cards(page.object_list)
    prefetch_renditions([author.image], [PHOTO_SPEC])

    path = author_path(slug, language)
    chrome = site_chrome(None, request)
    translations = {
        code: author_path(version.slug, code)
        for code, version in versions.items()
        if code in homes and code != language
    }
    for link in chrome.languages:  # the same author in another language
        if link.code in translations:
            link.url, link.translated = translations[link.code], True
    feeds = {kind: author_feed_path(kind, author.slug, language) for kind in ("rss", "atom")}
    chrome.feeds = {kind: url for kind, url in feeds.items() if url}
    canonical = request.build_absolute_uri(
        path + (f"?page={page.number}" if page.number > 1 else "")
    )
    context = {
        "chrome": chrome,
        "author": author,
        "author_language": author.locale.language_code,
        "articles": page,
        "canonical": canonical,
        "alternates": _alternates(request, {language: path, **translations}),
        "photo": author.image.get_rendition(PHOTO_SPEC) if author.image else None,
        "description": _description(author),
        "open_graph_locale": open_graph_locale(language),
    }
    context["json_ld"] = json_for_script(_profile(author, context, request, language))
    if page.has_previous():
        previous = page.previous_page_number()
        context["previous_url"] = path + (f"?page={previous}" if previous > 1 else "")
    if page.has_next():
        context["next_url"] = f"{path}?page={page.next_page_number()}"
    return render(request, "prism_news/author_page.html", context)


def author_feed_path(kind, slug, language):
    """The path of an author's feed (``kind`` "rss" or "atom") in ``language``, or None
    when the project has not included ``prism_news.urls.author_urls``."""
    try:
        with override(language):
            return reverse("prism_news_author_feed", kwargs={"kind": kind, "slug": slug})
    except NoReverseMatch:
        return None


def _description(author):
    text = " ".join((author.bio or author.role or author.name).split())
    return text[:297] + "…" if len(text) > 300 else text


def _alternates(request, paths):
    """``hreflang`` alternates for the author's pages, with ``x-default``."""
    if len(paths) < 2:
        return []
    default = get_supported_language_variant(settings.LANGUAGE_CODE)
    alternates = []
    for code, path in sorted(paths.items()):
        url = request.build_absolute_uri(path)
        alternates.append({"hreflang": code, "url": url})
        if code == default:
            alternates.append({"hreflang": "x-default", "url": url})
    return alternates


def _profile(author, context, request, language):
    """schema.org ProfilePage with the author as its Person."""
    person = {"@type": "Person", "name": author.name, "url": context["canonical"]}
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    if context["photo"] is not None:
        person["image"] = request.build_absolute_uri(context["photo"].url)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": context["canonical"],
        "inLanguage": language,
        "mainEntity": person,
    }
