"""What a host site's own pages, endpoints and saves look like from outside, as JSON.

Run in a scaffolded `wagtail start` project (tests/test_host_unchanged.py), with
``DJANGO_SETTINGS_MODULE`` set: it makes the same host content every time, asks the host's
pages and API endpoints as an anonymous reader, counts the SQL queries of saving the host's
own models, and prints everything as one JSON object. Times are fixed and every run starts
from a fresh database, so two runs differ only where the settings make them differ.
"""

import datetime
import io
import json

import django

django.setup()

from django.core.files.images import ImageFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from home.models import HomePage  # noqa: E402

FIXED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
LONG = "x" * 501
HEADERS = ("Content-Type", "Location", "Vary", "Content-Language")


def png(name):
    data = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(data, "PNG")
    return ImageFile(data, name=name)


def content():
    home = Site.objects.get(is_default_site=True).root_page.specific
    draft = home.add_child(instance=HomePage(title="Draft page", slug="draft-page", live=False))
    linking = home.add_child(
        instance=HomePage(
            title="Linking page",
            slug="linking",
            body=f'<p>See <a linktype="page" id="{draft.pk}">the draft</a>.</p>',
        )
    )
    # Live, but past its expiry date: publish_scheduled has not run yet.
    expired = home.add_child(
        instance=HomePage(
            title="Expired page", slug="expired", expire_at=FIXED - datetime.timedelta(days=1)
        )
    )
    get_image_model().objects.create(title="Host image", file=png("host.png"))
    Page.objects.update(
        first_published_at=FIXED, last_published_at=FIXED, latest_revision_created_at=FIXED
    )
    get_image_model().objects.update(created_at=FIXED)
    return {"home": home, "draft": draft, "linking": linking, "expired": expired}


def answer(client, url):
    response = client.get(url)
    return {
        "status": response.status_code,
        "headers": {name: response.get(name) for name in HEADERS if response.has_header(name)},
        "body": response.content.decode(errors="replace"),
    }


def requests(pages):
    linking, expired = pages["linking"], pages["expired"]
    return {
        "html home": "/",
        "html linking page": linking.url,
        "html expired page": expired.url,
        "v2 pages": "/api/v2/pages/",
        "v2 pages typed": "/api/v2/pages/?type=home.HomePage&fields=body",
        "v2 linking page": f"/api/v2/pages/{linking.pk}/",
        "v2 expired page": f"/api/v2/pages/{expired.pk}/",
        "v2 find": "/api/v2/pages/find/?html_path=/linking/",
        "v2 images": "/api/v2/images/",
        "v2 images long title": f"/api/v2/images/?title={LONG}",
        "v3 pages": "/api/v3/pages/",
        "v3 pages long title": f"/api/v3/pages/?title={LONG}",
        "v3 pages typed long title": f"/api/v3/pages/?type=home.HomePage&title={LONG}",
        "v3 pages search": "/api/v3/pages/?search=page",
        "v3 linking page": f"/api/v3/pages/{linking.pk}/",
        "v3 linking page long parameter": f"/api/v3/pages/{linking.pk}/?x={LONG}",
        "v3 expired page": f"/api/v3/pages/{expired.pk}/",
        "v3 find": "/api/v3/pages/find/?html_path=/linking/",
        "v3 images": "/api/v3/images/",
        "v3 images long title": f"/api/v3/images/?title={LONG}",
        "v3 documents": "/api/v3/documents/",
    }


def openapi_operations(client):
    """Every path and method of the v3 OpenAPI document, with its parameters' names."""
    schema = client.get("/api/v3/openapi.json").json()
    return {
        f"{method.upper()} {path}": sorted(p["name"] for p in operation.get("parameters", []))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def counted(action):
    """The SQL of ``action``'s queries."""
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries]


def saves(home):
    """The SQL queries of the host's own writes: a page and an image, made, changed, gone."""
    Image = get_image_model()
    page = HomePage(title="Counted page", slug="counted")
    image = Image(title="Counted image", file=png("counted.png"))
    return {
        "create page": counted(lambda: home.add_child(instance=page)),
        "publish page": counted(lambda: page.save_revision().publish()),
        "edit page": counted(lambda: page.save(update_fields=["title"])),
        "unpublish page": counted(page.unpublish),
        "delete page": counted(page.delete),
        "create image": counted(image.save),
        "edit image": counted(lambda: image.save(update_fields=["title"])),
        "delete image": counted(image.delete),
    }


def main():
    pages = content()
    client = Client()
    result = {name: answer(client, url) for name, url in requests(pages).items()}
    result["v3 openapi operations"] = openapi_operations(client)
    result["queries"] = saves(pages["home"])
    print(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
