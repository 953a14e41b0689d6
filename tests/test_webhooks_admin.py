"""The admin's webhook screens: endpoints with a write-only secret, deliveries, redelivery."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse
from django.utils.translation import override
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from prism_news.models import WebhookDelivery, WebhookEndpoint
from prism_news.webhooks.events import EVENT_TYPES

from .factories import ArticlePageFactory
from .webhook_receiver import SECRET, Receiver, run_worker

ENDPOINTS = "/admin/prism_webhook_endpoints/"
DELIVERIES = "/admin/prism_webhook_deliveries/"
NEW_SECRET = "another-secret-9876543210-zyxwvuts"


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(autouse=True)
def english_admin(admin_user):
    """The admin in English (the site's default language is Japanese)."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()


def form(receiver=None, **values):
    data = {
        "name": "Next.js front end",
        "url": receiver.url if receiver else "https://front.example.com/hooks?token=abc",
        "secret": SECRET,
        "event_types": ["page.published", "page.unpublished"],
        "active": "on",
    }
    data.update(values)
    return data


def errors(response):
    with override("en"):  # the messages are lazy: read them in the editor's language
        return {name: list(errs) for name, errs in response.context["form"].errors.items()}


def test_adding_an_endpoint_checks_the_url_and_secret(admin_client, db, en):
    page = admin_client.get(f"{ENDPOINTS}new/")
    assert page.status_code == 200
    assert 'type="password"' in page.content.decode()

    problems = {
        "secret": ("", "Enter a signing secret."),
        "url": ("ftp://front.example.com/", "Only http and https URLs can receive webhooks."),
    }
    for field, (value, message) in problems.items():
        response = admin_client.post(f"{ENDPOINTS}new/", form(**{field: value}))
        assert response.status_code == 200
        assert message in " ".join(errors(response)[field])
    short = admin_client.post(f"{ENDPOINTS}new/", form(secret="too-short"))
    assert "at least 24 characters" in " ".join(errors(short)["secret"])
    private = admin_client.post(f"{ENDPOINTS}new/", form(url="http://10.0.0.5/hooks"))
    assert "10.0.0.5" in " ".join(errors(private)["url"])
    metadata = admin_client.post(f"{ENDPOINTS}new/", form(url="http://169.254.169.254/"))
    assert "private, loopback or link-local" in " ".join(errors(metadata)["url"])

    response = admin_client.post(f"{ENDPOINTS}new/", {**form(), "locales": [en.pk]})
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == SECRET
    assert endpoint.event_types == ["page.published", "page.unpublished"]
    assert list(endpoint.locales.all()) == [en]


def test_the_secret_is_never_shown_again_and_kept_when_left_blank(admin_client, db):
    admin_client.post(f"{ENDPOINTS}new/", form())
    endpoint = WebhookEndpoint.objects.get()
    listing = admin_client.get(ENDPOINTS).content.decode()
    assert "Next.js front end" in listing
    assert "https://front.example.com/hooks?…" in listing
    assert "token=abc" not in listing  # a query string may carry a token too
    edit_url = f"{ENDPOINTS}edit/{endpoint.pk}/"
    for html in (listing, admin_client.get(edit_url).content.decode()):
        assert SECRET not in html

    response = admin_client.post(edit_url, form(secret="", name="Renamed"))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "Renamed" and endpoint.secret == SECRET
    admin_client.post(edit_url, form(secret=NEW_SECRET))
    endpoint.refresh_from_db()
    assert endpoint.secret == NEW_SECRET
    history = list(ModelLogEntry.objects.values_list("data", "label"))
    assert history and not any(
        SECRET in str(entry) or NEW_SECRET in str(entry) for entry in history
    )
    assert SECRET not in repr(endpoint) and SECRET not in str(endpoint)


@pytest.fixture
def deliveries(db, receiver, category, django_capture_on_commit_callbacks):
    """Two deliveries of one publication: one succeeded, one refused with a 404."""
    WebhookEndpoint.objects.create(
        name="Good", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )
    failing = Receiver()
    failing.fail(1, status=404)
    WebhookEndpoint.objects.create(
        name="Gone", url=failing.url, secret=SECRET, event_types=EVENT_TYPES
    )
    page = ArticlePageFactory(parent=category, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    run_worker()
    yield {d.endpoint.name: d for d in WebhookDelivery.objects.select_related("endpoint")}
    failing.close()


def test_deliveries_are_listed_with_status_attempts_code_duration_and_error(
    admin_client, deliveries
):
    html = admin_client.get(DELIVERIES).content.decode()
    for expected in ("page.published", "Good", "Gone", "Succeeded", "Failed", "404", "200"):
        assert expected in html
    assert "HTTP 404: receiver says no" in html
    assert str(deliveries["Gone"].duration_ms) in html
    failed_only = admin_client.get(DELIVERIES, {"status": "failed"}).content.decode()
    assert f"inspect/{deliveries['Gone'].pk}/" in failed_only
    assert f"inspect/{deliveries['Good'].pk}/" not in failed_only
    inspect = admin_client.get(f"{DELIVERIES}inspect/{deliveries['Gone'].pk}/").content.decode()
    assert "Redeliver" in inspect and "&quot;type&quot;: &quot;page.published&quot;" in inspect
    with pytest.raises(NoReverseMatch):
        reverse("prism_webhook_deliveries:add")
    assert SECRET not in html + inspect


def test_redelivering_sends_the_same_event_again(admin_client, deliveries, receiver):
    original = deliveries["Good"]
    url = f"{DELIVERIES}redeliver/{original.pk}/"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Yes, redeliver" in confirm.content.decode()
    response = admin_client.post(url)
    copy = WebhookDelivery.objects.exclude(pk__in=[d.pk for d in deliveries.values()]).get()
    assert response.status_code == 302 and response.url.endswith(f"inspect/{copy.pk}/")
    assert copy.redelivery_of == original and copy.event_id == original.event_id
    assert copy.status == "pending"
    run_worker()
    first, second = receiver.requests
    assert first.json["id"] == second.json["id"] == str(original.event_id)
    assert first.headers["X-Prism-Delivery"] != second.headers["X-Prism-Delivery"]
    assert second.signature_valid
    copy.refresh_from_db()
    assert copy.status == "succeeded"


def test_webhook_screens_need_their_permissions(client, deliveries, django_user_model):
    user = django_user_model.objects.create_user("editor", "e@x.test", "pw", is_staff=True)
    group = Group.objects.create(name="Newsroom editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    delivery = deliveries["Good"]
    for url in (ENDPOINTS, DELIVERIES, f"{DELIVERIES}inspect/{delivery.pk}/"):
        assert client.get(url).status_code in (302, 403), url
    group.permissions.add(Permission.objects.get(codename="view_webhookdelivery"))
    assert client.get(f"{DELIVERIES}inspect/{delivery.pk}/").status_code == 200
    assert client.post(f"{DELIVERIES}redeliver/{delivery.pk}/").status_code in (302, 403)
    assert WebhookDelivery.objects.count() == 2
