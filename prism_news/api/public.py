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

from ..visibility import visible_q
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


def public_pages(request, model=None, *, direct=False):
    """The pages of the requested site (in every locale) that anonymous readers may see.

    As ``pk__in`` a subquery by default, which search backends can read; ``direct``
    filters the rows themselves, which lets the database stop early on an ordered
    index walk (article listings)."""
    return site_pages(requested_site(request), model, direct=direct)


def site_pages(site, model=None, *, direct=False):
    """The pages of ``site`` (in every locale) that anonymous readers may see (see
    :func:`public_pages`)."""
    model = model or Page
    if site is None:
        return model.objects.none()
    roots = [site.root_page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots += list(site.root_page.get_translations())
    in_site = Q()
    for root in roots:
        in_site |= Q(path__startswith=root.path)
    if direct:
        return model.objects.filter(visible_q(), in_site)
    # As a subquery: search backends cannot read an EXISTS condition, only pk__in.
    return model.objects.filter(pk__in=Page.objects.filter(visible_q(), in_site).values("pk"))


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
