"""Draft preview in a headless front end, through wagtail-headless-preview.

When ``WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]`` is set, the editor's Preview
(the side panel, "Preview in new tab", a translation's preview in
wagtail-localize's editor, a reviewer's view of a draft) stores the page as the
editor sees it, unsaved changes included, under a signed token, and shows the
front end's preview URL with ``?content_type=…&token=…``. The front end fetches
``/api/v2/page_preview/?content_type=…&token=…`` (``api.preview``) and renders
it like any article. Without ``CLIENT_URLS`` pages preview with their templates.

``wagtail_headless_preview`` is optional: without it in ``INSTALLED_APPS`` nothing
of it is imported (its models module cannot be), pages have Wagtail's own preview
and the API has no ``page_preview`` endpoint.

What this module adds to the library:

- **Expiry**: the library checks a token's signature but not its age; here a
  token older than ``PRISM_NEWS["PREVIEW_TOKEN_MAX_AGE"]`` seconds opens nothing.
- **Binding**: a token names the page it was made for (``id=…``, or the parent
  and type of a page not yet created), and it only opens a stored preview of
  that page, of the content type the request names, while that page (or a new
  page's parent) still stands where it stood: deleted or moved, it opens nothing.
- **Per site and per language** front-end URLs (``client_root_url``).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.signing import BadSignature
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from .conf import get_settings

#: Whether wagtail_headless_preview is in INSTALLED_APPS (read once, while the models load).
HEADLESS_PREVIEW_INSTALLED = apps.is_installed("wagtail_headless_preview")

if HEADLESS_PREVIEW_INSTALLED:
    from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview
    from wagtail_headless_preview.settings import headless_preview_settings
else:  # Wagtail's own preview only

    class HeadlessPreviewMixin:
        pass

    PagePreview = headless_preview_settings = None

#: The preview mode that opens the front end, and the one that renders the templates
#: (Wagtail's own mode is "", which cannot come second: wagtail-localize puts every
#: mode but the first in a URL).
HEADLESS_MODE = "headless"
TEMPLATE_MODE = "template"


def headless_preview_enabled():
    return HEADLESS_PREVIEW_INSTALLED and bool(headless_preview_settings.CLIENT_URLS)


def client_root_url(site, language_code):
    """The front end's preview URL for pages of ``site`` in ``language_code``.

    ``CLIENT_URLS`` maps a site's hostname (or ``"default"``) to a URL, or to a
    dict of URLs by language code (with an optional ``"default"``). URLs may use
    ``{SITE_ROOT_URL}`` and ``{LANGUAGE_CODE}``.
    """
    urls = headless_preview_settings.CLIENT_URLS
    entry = urls.get(site.hostname) if site is not None else None
    if entry is None:
        entry = urls.get("default")
    if isinstance(entry, dict):
        base = (language_code or "").split("-")[0]
        entry = entry.get(language_code) or entry.get(base) or entry.get("default")
    if not entry:
        raise ImproperlyConfigured(
            f"WAGTAIL_HEADLESS_PREVIEW['CLIENT_URLS'] has no URL for site "
            f"{getattr(site, 'hostname', None)!r} and language {language_code!r}."
        )
    url = entry.format(
        SITE_ROOT_URL=site.root_url if site is not None else "", LANGUAGE_CODE=language_code
    )
    if headless_preview_settings.ENFORCE_TRAILING_SLASH:
        path, mark, query = url.partition("?")
        url = path.rstrip("/") + "/" + mark + query
    return url


def token_identifier(page):
    """What a token for ``page`` signs: the library's own format."""
    if page.pk is None:
        return f"parent_id={page.get_parent().pk};page_type={page._meta.label}"
    return f"id={page.pk}"


class HeadlessPreviewable(HeadlessPreviewMixin):
    """For page models: a "Front end" preview mode, first when it is configured."""

    @property
    def preview_modes(self):
        if headless_preview_enabled():
            return [(HEADLESS_MODE, _("Front end")), (TEMPLATE_MODE, _("Page template"))]
        return super().preview_modes

    def serve_preview(self, request, mode_name):
        if mode_name == HEADLESS_MODE:
            return HeadlessPreviewMixin.serve_preview(self, request, mode_name)
        return super(HeadlessPreviewMixin, self).serve_preview(request, mode_name)

    def get_client_root_url(self, request):
        site = self._preview_site() or Site.find_for_request(request)
        locale = self.locale if self.locale_id else self.get_default_locale()
        return client_root_url(site, locale.language_code)

    def _preview_site(self):
        if not self.url_path:
            return None
        parts = self.get_url_parts()
        if parts is None:
            return None
        return Site.objects.filter(pk=parts[0]).first()

    def get_preview_url(self, request, token):
        base = self.get_client_root_url(request)
        query = urlencode({"content_type": self.get_content_type_str(), "token": token})
        return f"{base}{'&' if '?' in base else '?'}{query}"

    @classmethod
    def get_page_from_preview_token(cls, token):
        """The stored preview for ``token``, if the token is genuine, young enough, and
        was made for that very page; otherwise None."""
        try:
            identifier = cls.get_preview_signer().unsign(
                token, max_age=get_settings()["PREVIEW_TOKEN_MAX_AGE"]
            )
        except BadSignature:  # SignatureExpired is one too
            return None
        content_type = ContentType.objects.get_for_model(cls)
        preview = PagePreview.objects.filter(content_type=content_type, token=token).first()
        if preview is None:
            return None
        page = preview.as_page()
        if not isinstance(page, cls) or _identifier_now(page) != identifier:
            return None
        return page


def _identifier_now(page):
    """What a token for the stored preview ``page`` would sign now, or None if the page
    is no longer where the preview put it.

    A page deleted since, or moved (itself or an ancestor: its tree path changed),
    opens nothing; nor does a new page's preview whose parent was deleted or moved.
    The editor previews again to get a token for where the page stands now.
    """
    if page.pk is None:
        parent_path = (page.path or "")[: -Page.steplen]
        parent_id = (
            Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
            if parent_path
            else None
        )
        if parent_id is None:
            return None
        return f"parent_id={parent_id};page_type={page._meta.label}"
    if not Page.objects.filter(pk=page.pk, path=page.path).exists():
        return None
    return token_identifier(page)


def page_from_preview_request(content_type, token):
    """The previewed page for the API's ``content_type`` ("app_label.model") and ``token``,
    or None for anything that is not a valid pair."""
    if (
        not HEADLESS_PREVIEW_INSTALLED
        or not content_type
        or not token
        or content_type.count(".") != 1
    ):
        return None
    app_label, model_name = content_type.lower().split(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        return None
    if model is None or not issubclass(model, Page) or not issubclass(model, HeadlessPreviewable):
        return None
    return model.get_page_from_preview_token(token)
