"""Helpers for the API tests."""

from wagtail.models import Page

API = "/api/v2/pages/"


def translate(page, locale, **changes):
    """A published copy of ``page`` in ``locale`` (and its parents), with ``changes``."""
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return Page.objects.get(pk=copy.pk).specific


def image_body(images, link_to=None):
    body = [("heading", {"text": "Supply chains", "level": "3"})]
    link = f'<a linktype="page" id="{link_to.pk}">the other story</a>' if link_to else "a story"
    body.append(("paragraph", f"<p>Read {link} and <b>more</b>.</p>"))
    body.append(("list", {"style": "bulleted", "items": ["Japan", "South Korea"]}))
    for i, image in enumerate(images):
        body.append(("image", {"image": image, "alt": f"Chart {i}", "caption": "", "credit": ""}))
    return body
