"""Which Wagtail moments become which webhook events, and which endpoints get them."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page, PageViewRestriction, Site

from prism_news.models import ArticlePage, WebhookDelivery, WebhookEndpoint
from prism_news.translation import translate_instance
from prism_news.webhooks.events import EVENT_TYPES

from .factories import ArticlePageFactory, CategoryIndexPageFactory
from .webhook_receiver import SECRET, queued, run_worker


@pytest.fixture
def endpoint(db, receiver):
    return WebhookEndpoint.objects.create(
        name="Front end", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit callbacks of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def live_article(category, **values):
    return ArticlePageFactory(parent=category, **values)


def events(receiver):
    run_worker()
    assert all(r.signature_valid for r in receiver.requests)
    return [(r.json["type"], r.json["page"]["id"]) for r in receiver.requests]


def test_unpublishing(endpoint, receiver, category, committed):
    page = live_article(category)
    with committed():
        page.unpublish()
    assert events(receiver) == [("page.unpublished", page.pk)]
    assert "card" not in receiver.requests[0].json


def test_expiry_by_publish_scheduled(endpoint, receiver, category, committed):
    page = live_article(category)
    ArticlePage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with committed():
        call_command("publish_scheduled")
    assert events(receiver) == [("page.expired", page.pk)]


def test_deleting_tells_of_each_live_page_with_its_last_url(
    endpoint, receiver, home, committed, admin_client
):
    section = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    first = live_article(section, slug="first")
    second = live_article(section, slug="second")
    draft = ArticlePageFactory(parent=section, live=False)
    with committed():
        response = admin_client.post(reverse("wagtailadmin_pages:delete", args=[section.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=[section.pk, first.pk, draft.pk]).exists()
    assert sorted(events(receiver)) == sorted(
        [("page.deleted", section.pk), ("page.deleted", first.pk), ("page.deleted", second.pk)]
    )
    urls = {r.json["page"]["id"]: r.json["page"]["url"] for r in receiver.requests}
    assert urls[first.pk] == "http://localhost/economy/first/"


def test_moving(endpoint, receiver, home, category, committed):
    page = live_article(category, slug="moving")
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    receiver.requests.clear()
    with committed():
        MovePageAction(page, economy, pos="last-child").execute()
    assert events(receiver) == [("page.moved", page.pk)]
    body = receiver.requests[0].json
    assert body["previous_url"] == "http://localhost/politics/moving/"
    assert body["page"]["url"] == "http://localhost/economy/moving/"


def test_publishing_a_translation(endpoint, receiver, category, en, committed):
    page = live_article(category, title="技術同盟")
    with committed():
        target = translate_instance(page, en, lambda text: f"[en] {text}")
    assert events(receiver) == [("translation.published", target.pk)]
    body = receiver.requests[0].json
    assert body["source"] == {"id": page.pk, "locale": "ja"}
    assert body["page"]["locale"] == "en"
    assert body["card"]["title"] == "[en] 技術同盟" and body["card"]["locale"] == "en"


def test_review_approved_and_rejected(
    endpoint, receiver, category, workflow, reviewer, admin_user, committed
):
    approved = ArticlePageFactory(parent=category, live=False)
    rejected = ArticlePageFactory(parent=category, live=False)
    for page in (approved, rejected):
        page.save_revision()
    with committed():
        state = workflow.start(approved, admin_user)  # four eyes: not the reviewer
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    with committed():
        state = workflow.start(rejected, reviewer)
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "reject")
    # Approving the only task publishes the page too.
    assert sorted(events(receiver)) == [
        ("page.published", approved.pk),
        ("review.approved", approved.pk),
        ("review.rejected", rejected.pk),
    ]
    [approval] = [r.json for r in receiver.requests if r.json["type"] == "review.approved"]
    assert approval["review"] == {
        "task": "Human review of AI content",
        "revision_id": approved.get_latest_revision().pk,
    }
    assert "card" not in approval


def test_endpoints_get_only_the_events_languages_and_site_they_ask_for(
    receiver, home, category, en, committed
):
    WebhookEndpoint.objects.create(
        name="Unpublications", url=receiver.url, secret=SECRET, event_types=["page.unpublished"]
    )
    english = WebhookEndpoint.objects.create(
        name="English", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )
    english.locales.add(en)
    WebhookEndpoint.objects.create(
        name="Off", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES, active=False
    )
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Other", slug="other"))
    other_site = Site.objects.create(hostname="other.test", root_page=other_root)
    WebhookEndpoint.objects.create(
        name="Other site", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES,
        site=other_site,
    )  # fmt: skip
    ja_page = live_article(category)
    with committed():
        ja_page.save_revision().publish()
        ja_page.unpublish()
        target = translate_instance(ja_page, en, lambda text: text, publish=True)
    run_worker()
    got = {
        (d.endpoint.name, d.event_type, d.payload["page"]["id"])
        for d in WebhookDelivery.objects.select_related("endpoint")
    }
    assert got == {
        ("Unpublications", "page.unpublished", ja_page.pk),
        ("English", "translation.published", target.pk),
    }


def test_restricted_pages_are_not_announced(endpoint, receiver, category, committed):
    page = ArticlePageFactory(parent=category, live=False)
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    with committed():
        page.save_revision().publish()
    assert events(receiver) == []
    assert WebhookDelivery.objects.count() == 0


def test_other_page_types_are_announced_without_a_card(endpoint, receiver, home, committed):
    with committed():
        section = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
        section.save_revision().publish()
    assert ("page.published", section.pk) in events(receiver)
    assert all(r.json["card"] is None for r in receiver.requests)


def test_nothing_is_queued_without_an_active_endpoint(receiver, category, committed):
    WebhookEndpoint.objects.create(
        name="Off", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES, active=False
    )
    with committed():
        live_article(category).unpublish()
    assert queued() == []
