"""The example site's security headers and throttled password forms.

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware choosing the policy by what
  is answered. HTML pages get ``CONTENT_SECURITY_POLICY`` (settings); the admin (Wagtail's,
  wagtail-localize's editor, Django's) gets that plus ``ADMIN_ALLOWANCES``; anything that
  is not HTML (the API, feeds, sitemaps, scripts) gets ``NOT_HTML`` and uploaded files get
  ``MEDIA``: no script, no plugin, no frame, sandboxed, so even an SVG with a script that
  was stored before the importer refused them cannot run when it is opened.
- ``MediaHeadersMiddleware``: ``X-Content-Type-Options: nosniff`` on every file under
  ``MEDIA_URL`` that Django serves, and ``Content-Disposition: attachment`` on anything but
  a raster image; ``MEDIA_URL/documents/`` is a 404 (documents go through Wagtail's view,
  which checks their privacy). In production the web server serves media:
  docs/example-site.md has the nginx lines that do the same.
- ``throttled_password_view``: Wagtail's page and collection password forms do not go
  through ``authenticate()``, so django-axes does not see them by itself; the wrapper asks
  axes before the form is checked and tells it of every wrong password, so they lock out
  exactly as logins do (same limit, cool-off and lockout page).
"""

import contextlib
import functools
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_response
from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

# What the admin needs on top of the site's policy, measured with Wagtail 8.0 and
# wagtail-localize 1.14 (tests/test_browser_review.py, tests/test_preview_browser.py):
# Wagtail still starts its choosers, date pickers and inline panels with inline scripts
# (and jQuery runs those of a new inline form), and writes style attributes; it asks
# releases.wagtail.org for the latest version (WAGTAIL_ENABLE_UPDATE_CHECK); embed blocks
# show the provider's thumbnail; the preview panel frames the site.
ADMIN_ALLOWANCES = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:", "https:"],
    "connect-src": [SELF, "https://releases.wagtail.org"],
    "frame-src": [SELF],
}

# JSON, XML, feeds, scripts and stylesheets: nothing in them may load or run anything.
NOT_HTML = {"default-src": [NONE], "frame-ancestors": [NONE]}

# Uploaded files (images, renditions, documents), opened on their own.
MEDIA = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],  # an SVG's own presentation styles
    "frame-ancestors": [NONE],
    "sandbox": [""],
}

# Raster images are shown in the browser; anything else under MEDIA_URL is downloaded.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}


def admin_prefixes():
    """Where the admins live in this URLconf (Wagtail's and Django's)."""
    prefixes = []
    for url_name in ("wagtailadmin_home", "admin:index"):
        with contextlib.suppress(NoReverseMatch):
            prefixes.append(reverse(url_name))
    return tuple(prefixes)


def is_media(request):
    media_url = settings.MEDIA_URL
    return media_url.startswith("/") and request.path_info.startswith(media_url)


def is_html(response):
    return response.get("Content-Type", "").split(";")[0].strip() == "text/html"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy chosen by what the answer is."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:  # a view chose its own policy
            return parts
        if is_media(request):
            return PolicyParts(config=MEDIA)
        if not is_html(response):
            return PolicyParts(config=NOT_HTML)
        if request.path_info.startswith(admin_prefixes()):
            update = {**ADMIN_ALLOWANCES}
            for directive, sources in (parts.update or {}).items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


class MediaHeadersMiddleware:
    """nosniff on media files Django serves; anything but a raster image is an attachment;
    documents only through Wagtail's view, which checks their collection's privacy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_media(request) and request.path_info.startswith(f"{settings.MEDIA_URL}documents/"):
            raise Http404
        response = self.get_response(request)
        if is_media(request) and response.status_code == 200:
            response["X-Content-Type-Options"] = "nosniff"
            content_type = response.get("Content-Type", "").split(";")[0].strip()
            if content_type not in INLINE_MEDIA_TYPES:
                response["Content-Disposition"] = "attachment"
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out client (``AXES_LOCKOUT_CALLABLE``): 429 and a
    page in the reader's language saying when to try again."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, "home/lockout.html", {"minutes": minutes}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def throttled_password_view(view, scope):
    """``view`` (Wagtail's password form for a page or a collection) with django-axes in
    front: a locked-out client gets axes' lockout answer before its password is checked,
    and a wrong password counts as a failed login for "<scope>:<restriction id>"."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        restriction_id = kwargs.get("page_view_restriction_id", kwargs.get("restriction_id"))
        credentials = {"username": f"{scope}:{restriction_id}"}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        response = view(request, *args, **kwargs)
        # Wagtail answers a right password with a redirect and a wrong one with the form.
        if response.status_code == 200:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, response, credentials)
        return response

    return wrapper
