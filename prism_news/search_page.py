"""The reader search page: ``/search/?q=`` in the default language, ``/en/search/?q=`` in
English, and so on (``prism_news.urls.search_urls``; docs/frontend.md).

It lists the live, public articles of the request's site in the page's language (the
``visible_q`` rule of every other door) that ``prism_news.search.search_articles`` finds,
as the section pages' cards, each with a highlighted snippet.

The response cache keeps it under ``q``, ``page`` and ``category`` alone, and only in
their one canonical spelling: a query is normalised (NFC, no control characters, spaces
collapsed, cut at ``SEARCH_QUERY_MAX_LENGTH``) and an address that spells it otherwise
(or names page 1, or an empty value) is redirected to the canonical one, which is never
kept. A page number that is not one of the results' pages, or a section that is not one
of this language's, is a 404. So the cache holds at most one answer per query, page and
section, and any other parameter (``utm_source``) shares it.
"""

import re
import unicodedata
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language, get_supported_language_variant
from wagtail.models import Page, Site

from .caching import SEARCH_TAG, depends_on, mark_cacheable
from .caching.dependencies import depends_until
from .conf import get_settings
from .models import ArticlePage, CategoryIndexPage
from .navigation import localized_homes, search_url, site_chrome
from .publication_dates import listed_count, listed_q
from .representations.prefetch import prepare_cards
from .search import body_text, found_snippet, search_articles
from .visibility import visible_q

#: The query parameters the answer depends on: the response cache's key is made of these.
PARAMETERS = ("q", "category", "page")
#: Page numbers have at most this many digits (more is a 404 before any query).
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
#: Removed from a query: control characters (NUL, newlines...) and lone surrogates.
_DROPPED = {"Cc", "Cs"}


def normalise_query(text):
    """The query as the page keeps it: NFC, control characters as spaces, runs of spaces
    as one, no spaces at either end, at most ``SEARCH_QUERY_MAX_LENGTH`` characters.
    Normalising a normalised query changes nothing."""
    longest = get_settings()["SEARCH_QUERY_MAX_LENGTH"]
    # Cut generously first, so that a huge query costs no more than a short one.
    text = unicodedata.normalize("NFC", text[: longest * 4])
    text = "".join(" " if unicodedata.category(char) in _DROPPED else char for char in text)
    text = " ".join(text.split())[:longest].rstrip()
    return unicodedata.normalize("NFC", text)


def _address(path, **values):
    kept = [(name, values[name]) for name in PARAMETERS if values.get(name)]
    return path + ("?" + urlencode(kept) if kept else "")


def _canonical(request):
    """The canonical spelling of the request's own parameters, and whether it is theirs."""
    spelled = {name: request.GET.getlist(name) for name in PARAMETERS}
    values = {name: (found[-1] if found else "") for name, found in spelled.items()}
    values["q"] = normalise_query(values["q"])
    values["category"] = values["category"].strip()
    if values["page"] == "1":
        values["page"] = ""
    kept = {name: value for name, value in values.items() if value}
    asked = {name: found for name, found in spelled.items() if found}
    return values, asked == {name: [value] for name, value in kept.items()}


def _sections(home):
    """This language's live, public sections under ``home``, by slug."""
    sections = CategoryIndexPage.objects.descendant_of(home).filter(
        visible_q(), locale_id=home.locale_id
    )
    return {section.slug: section for section in sections.order_by("path")}


def searchable_articles(home, within=None):
    """The articles a reader may find from ``home`` (in its language), under ``within``
    (a section) if given, from their ``published_at`` on. As ``pk__in`` a subquery:
    search backends cannot read the EXISTS of the visibility rule."""
    scope = within or home
    visible = Page.objects.filter(
        visible_q(), path__startswith=scope.path, locale_id=home.locale_id
    ).values("pk")
    return ArticlePage.objects.filter(listed_q(), pk__in=visible).for_cards()


def result_snippet(article, query, language):
    """The first place in the body (else the summary) where the query matched, as
    escaped text with the matches in ``<mark>``; None when neither matched."""
    for text in (body_text(article), article.summary):
        found = found_snippet(text, query, language=language)
        if found is not None:
            return found
    return None


def search_view(request):
    language = get_language()
    homes = localized_homes(Site.find_for_request(request))
    home = homes.get(language)
    path = search_url(language)
    if home is None or path is None:
        raise Http404("This site has no home page in this language.")
    values, canonical = _canonical(request)
    if not canonical:
        return HttpResponseRedirect(_address(path, **values))
    if values["page"] and not _PAGE_NUMBER.fullmatch(values["page"]):
        raise Http404("No such page of results.")

    # The same page for every reader: kept under the canonical q, category and page only.
    mark_cacheable(parameters=PARAMETERS)
    # Any article published, withdrawn or changed in this language may change the results.
    depends_on(f"members:{language}")
    # ... and what the index holds, which the task worker updates after a publication.
    depends_on(f"{SEARCH_TAG}:{language}")
    sections = _sections(home)
    section = None
    if values["category"]:
        section = sections.get(values["category"])
        if section is None:
            raise Http404("No such section.")

    query = values["q"]
    if values["page"] and not query:
        raise Http404("No such page of results.")
    results = None
    if query:
        articles = searchable_articles(home, section)
        # Each expiry among the articles searched may change the results or their count.
        depends_until(listed_count(articles)[1])
        found = search_articles(articles, query, language=language)
        paginator = Paginator(found, get_settings()["SEARCH_PAGE_SIZE"])
        try:
            results = paginator.page(values["page"] or 1)
        except EmptyPage:
            raise Http404("No such page of results.") from None
        cards = prepare_cards(results.object_list)
        for card in cards:
            card.search_snippet = result_snippet(card, query, language)
        results.object_list = cards

    chrome = site_chrome(None, request)
    translations = _translations(homes, query)
    for link in chrome.languages:  # the same search in another language
        if link.code in translations:
            link.url, link.translated = translations[link.code], True
    context = {
        "chrome": chrome,
        "search_page": True,  # its own form takes the masthead's place
        "query": query,
        "results": results,
        "count": results.paginator.count if results is not None else 0,
        "sections": list(sections.values()),
        "section": section,
        "alternates": _alternates(request, translations),
        "canonical": request.build_absolute_uri(_address(path, **values)),
    }
    if results is not None:
        if results.has_previous():
            previous = results.previous_page_number()
            page = str(previous) if previous > 1 else ""  # page 1 has no number
            context["previous_url"] = _address(path, **{**values, "page": page})
        if results.has_next():
            context["next_url"] = _address(
                path, **{**values, "page": str(results.next_page_number())}
            )
    return render(request, "prism_news/search_page.html", context)


def _translations(homes, query):
    """The same search in each language the site is published in, by language code (a
    section filter does not carry over: sections differ by language)."""
    paths = {code: search_url(code) for code in homes}
    return {code: _address(path, q=query) for code, path in paths.items() if path}


def _alternates(request, translations):
    """``hreflang`` alternates for :func:`_translations`, with ``x-default``."""
    if len(translations) < 2:
        return []
    default = get_supported_language_variant(settings.LANGUAGE_CODE)
    alternates = []
    for code, path in translations.items():
        url = request.build_absolute_uri(path)
        alternates.append({"hreflang": code, "url": url})
        if code == default:
            alternates.append({"hreflang": "x-default", "url": url})
    return alternates
