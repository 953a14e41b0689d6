"""What the public API serves, and to whom: everyone alike.

The same request gets the same answer with or without cookies. The pages are
those ``visible_q`` lets an anonymous reader see, and a browser session (an
editor's login, a page password a reader typed in) is hidden from the code that
answers, so responses need no ``Vary: Cookie``. v2 and v3 both serve from here.
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q
from django.http import Http404
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Locale, Page, Site

from ..visibility import hiders, visible_q, with_hiders
from .params import ParameterError, check_site, path_components

_HIDDEN = ("session", "user")


@contextmanager
def without_session(request):
    """Answer ``request`` as if it came without cookies.

    The session and user are swapped for an empty session and an anonymous user,
    and put back afterwards untouched, so the session middleware neither sees
    them read (no ``Vary: Cookie``) nor saves anything. Bearer tokens, which v3
    reads from a header, still work.
    """
    saved = {name: request.__dict__[name] for name in _HIDDEN if name in request.__dict__}
    request.session = SessionBase()
    request.user = AnonymousUser()
    try:
        yield request
    finally:
        for name in _HIDDEN:
            request.__dict__.pop(name, None)
        request.__dict__.update(saved)


def requested_site(request):
    """The site named by ``?site=`` (hostname[:port]), else the request's own."""
    check_site(request.GET)
    try:
        return SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    except ValueError as error:  # several sites match a hostname without a port
        raise ParameterError("site", str(error)) from error


class SiteView:
    """What anonymous readers may see of one site (in every locale), made once.

    The site's root and its translations are read in one query with what may hide
    pages below them (``visibility.with_hiders``), so the condition leaves out the
    view-restriction anti-join when no restriction stands on, above or below the
    site's roots, and the check of an alias's original when there is no alias. That
    answer is only true now: a view is made for one request (:func:`public_view`).
    """

    def __init__(self, site):
        self.site = site
        self._pages = {}
        if site is None:
            self.condition = None
            return
        root = site.root_page
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            roots = Page.objects.filter(translation_key=root.translation_key)
        else:
            roots = Page.objects.filter(pk=root.pk)
        roots = list(with_hiders(roots).only("path").order_by("path"))
        in_site = Q()
        for found in roots:
            in_site |= Q(path__startswith=found.path)
        self.hiders = hiders(roots)
        self.condition = visible_q(self.hiders) & in_site

    def pages(self, model=None, *, direct=False):
        """The visible pages of the site, of ``model`` (see :func:`public_pages`).
        Kept per model: the same queryset object each time (clone it to change it)."""
        model = model or Page
        key = (model, direct)
        if key not in self._pages:
            if self.condition is None:
                pages = model.objects.none()
            elif direct:
                pages = model.objects.filter(self.condition)
            else:
                # As a subquery: search backends cannot read an EXISTS condition, only pk__in.
                visible = Page.objects.filter(self.condition).values("pk")
                pages = model.objects.filter(pk__in=visible)
            self._pages[key] = pages
        return self._pages[key]


def per_request(request, key, make):
    """``make(request)``, made once per request and kept on it (on the Django request
    under DRF's wrapper, so v2's viewset hooks and v3's operations share it)."""
    request = getattr(request, "_request", request)
    memo = request.__dict__.setdefault("_prism_news_public", {})
    if key not in memo:
        memo[key] = make(request)
    return memo[key]


def build_site_view(request):
    """A new :class:`SiteView` of the requested site (``public_view`` keeps it)."""
    return SiteView(requested_site(request))


def public_view(request):
    """The :class:`SiteView` of the site ``request`` asks for, made once per request:
    Wagtail's viewset hooks (``get_queryset``, ``get_serializer_class``,
    ``get_serializer_context``, the filters) each ask for the visible pages again."""
    return per_request(request, ("site", request.GET.get("site")), build_site_view)


def public_pages(request, model=None, *, direct=False):
    """The pages of the requested site (in every locale) that anonymous readers may see.

    As ``pk__in`` a subquery by default, which search backends can read; ``direct``
    filters the rows themselves, which lets the database stop early on an ordered
    index walk (article listings). Made once per request (:func:`public_view`)."""
    return public_view(request).pages(model, direct=direct)


def site_pages(site, model=None, *, direct=False):
    """The pages of ``site`` (in every locale) that anonymous readers may see (see
    :func:`public_pages`)."""
    return SiteView(site).pages(model, direct=direct)


def route_path(request, path, site=None):
    """The page at ``path`` on the site, in any locale: "/en/politics/x/" or "/politics/x/".

    Whether readers may see it is the caller's question (routing finds live pages).
    Raises ParameterError for a path that is not fit to look up once decoded.
    """
    # Paths come as a browser shows them or percent-encoded (page.url encodes unicode slugs).
    components = path_components("html_path", path)
    site = site or Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    if components:
        locale = Locale.objects.filter(language_code__iexact=components[0]).first()
        if locale is not None:
            translated = root.get_translation_or_none(locale)
            if translated is not None:
                root, components = translated, components[1:]
    try:
        page, _, _ = root.specific.route(request, components)
    except Http404:
        return None
    return page
