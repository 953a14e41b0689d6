"""Admin form data for pages with StreamFields.

Wagtail renders StreamFields client-side, so the edit page's HTML does not hold
their inputs: the plain fields come from the HTML, the body from here.
"""

from django.urls import reverse
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from prism_news.models import ArticlePage


def list_block(items):
    return {
        "count": len(items),
        **{
            str(i): {"value": item, "deleted": "", "order": i, "id": ""}
            for i, item in enumerate(items)
        },
    }


def full_body(image):
    """One of every body block, as the admin would post it."""
    return streamfield(
        [
            ("heading", {"text": "Supply chains", "level": "2"}),
            ("paragraph", rich_text("<p>Rare earths and data centres.</p>")),
            ("list", {"style": "numbered", "items": list_block(["Japan", "South Korea"])}),
            ("quote", {"text": "Chips are the new oil.", "attribution": "A columnist"}),
            ("key_points", {"title": "Key points", "points": list_block(["An alliance"])}),
            ("image", {"image": image.pk, "alt": "A chip", "caption": "", "credit": ""}),
            ("embed", "https://video.example.com/watch/1"),
        ]
    )


def edit_form_data(client, page, body=None, action="action-publish"):
    """POST data for ``page``'s edit view, with ``body`` as its StreamField."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    if body is not None:
        for key, value in nested_form_data({"body": body}).items():
            data[key] = value
    if isinstance(page.specific, ArticlePage):
        data.setdefault("corrections-count", "0")  # the editor's JS always sends the notes
    if action:
        data[action] = action  # the view tests the value's truth, so "" would save a draft
    return data


def one_paragraph():
    return streamfield([("paragraph", rich_text("<p>Some body text for the article.</p>"))])


def post_edit(client, page, body=None, action="action-publish"):
    """POST ``page``'s edit form as the editor's browser would (publishing, by default),
    with a one-paragraph body unless ``body`` is given."""
    data = edit_form_data(client, page, body=body or one_paragraph(), action=action)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def create_form_data(client, parent, model_path="prism_news/articlepage", body=None, **fields):
    """POST data for the admin's create view of ``model_path`` under ``parent``."""
    url = f"/admin/pages/add/{model_path}/{parent.pk}/"
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    if body is not None:
        for key, value in nested_form_data({"body": body}).items():
            data[key] = value
    if model_path == "prism_news/articlepage":
        data.setdefault("corrections-count", "0")  # as the editor's JS sends it
    for key, value in fields.items():
        data[key] = value
    return url, data


def one_new_source(**fields):
    """Inline formset data adding one source to an article without sources."""
    data = {"sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0"}
    data.update({"sources-0-id": "", "sources-0-ORDER": "1", "sources-0-DELETE": ""})
    data.update({f"sources-0-{name}": value for name, value in fields.items()})
    return data
