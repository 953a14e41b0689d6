"""Full URLs of pages from their ``url_path`` alone, for lists too long to load as model
instances (the sitemaps: tens of thousands of pages).

Wagtail's ``Page.get_url_parts`` finds the site root paths the page's ``url_path`` starts
with, takes the first (or the request's site's), and reverses ``wagtail_serve`` for the
rest of the path in the root's language. :class:`PageURLs` does the same for a row of
values: it reverses once per language and adds each page's path to that prefix, quoted as
``reverse`` quotes it (checked against ``reverse`` for each prefix; where the two differ,
every page is reversed). Page types that make their URLs some other way
(:func:`makes_own_urls`) are left to their own methods.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

#: What ``reverse`` leaves unquoted in a path (django.urls.resolvers).
_SAFE = RFC3986_SUBDELIMS + "/~:@"
_PROBE = "prism-probe-ü/"
_UNROUTABLE = object()
_REVERSE = object()


def makes_own_urls(model):
    """Whether ``model`` overrides how Wagtail makes a page's URLs or its sitemap entries."""
    return any(
        getattr(model, name) is not getattr(Page, name)
        for name in ("get_url_parts", "get_full_url", "get_sitemap_urls")
    )


class PageURLs:
    """``full_url(url_path)`` as ``Page.get_full_url(request)`` gives it, without a query
    per page (the site root paths come from Wagtail's cache)."""

    def __init__(self, request):
        self.request = request
        self.roots = Site.get_site_root_paths()
        site = Site.find_for_request(request)
        self.site_id = site.pk if site is not None else None
        self.i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        self.append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
        self._prefixes = {}
        self._languages = {}

    def full_url(self, url_path):
        relevant = [root for root in self.roots if url_path.startswith(root.root_path)]
        if not relevant:
            return None
        chosen = relevant[0]
        if len({root.site_id for root in relevant}) > 1 and self.site_id is not None:
            chosen = next((r for r in relevant if r.site_id == self.site_id), chosen)
        language = self._languages.get(chosen.language_code)
        if language is None:
            language = self._languages[chosen.language_code] = self._language(chosen.language_code)
        tail = url_path[len(chosen.root_path) :]
        prefix = self._prefixes.get(language)
        if prefix is None:
            prefix = self._prefixes[language] = self._prefix(language)
        if prefix is _UNROUTABLE:
            return None
        if prefix is _REVERSE:
            path = self._reverse(language, tail)
        else:
            path = prefix + quote(tail, safe=_SAFE)
        if not self.append_slash and path != "/":
            path = path.rstrip("/")
        return chosen.root_url + path

    def _language(self, language_code):
        # As Wagtail: the active language when it is a variant of the root's language.
        if not self.i18n:
            return language_code
        active = translation.get_language()
        try:
            if get_supported_content_language_variant(active) == language_code:
                return active
        except LookupError:
            pass
        return language_code

    def _reverse(self, language, tail):
        if self.i18n:
            with translation.override(language):
                return reverse("wagtail_serve", args=(tail,))
        return reverse("wagtail_serve", args=(tail,))

    def _prefix(self, language):
        try:
            prefix = self._reverse(language, "")
            probe = self._reverse(language, _PROBE)
        except NoReverseMatch:
            return _UNROUTABLE
        return prefix if probe == prefix + quote(_PROBE, safe=_SAFE) else _REVERSE
