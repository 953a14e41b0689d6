"""Published corrections: dated notes on a live article, shown everywhere a reader or
a machine reads the article, and never rewritten once published."""

import datetime
import json
import uuid

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from prism_news.models import ArticlePage, WebhookEndpoint
from prism_news.publish_gate import PublishingBlocked
from prism_news.webhooks.events import EVENT_TYPES

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory
from .webhook_receiver import SECRET, run_worker

FORM_BODY = streamfield([("paragraph", rich_text("<p>本文。</p>"))])
WHEN = datetime.datetime(2025, 3, 4, 10, 30, tzinfo=datetime.UTC)
LATER = WHEN + datetime.timedelta(days=2)


def note(text, when=WHEN, kind="correction", pk=None):
    return {
        "type": "note",
        "id": pk or str(uuid.uuid4()),
        "value": {"kind": kind, "date": when.isoformat(), "text": text},
    }


def publish(page, *notes):
    """Publish ``page`` with ``notes`` as its corrections, through a revision."""
    page = ArticlePage.objects.get(pk=page.pk)
    page.corrections = json.dumps(list(notes))
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def article(category):
    page = ArticlePageFactory(parent=category, title="Budget", slug="budget")
    return publish(page)


@pytest.fixture
def corrected(article):
    first = note("An earlier version gave the budget as ¥3bn; it is ¥30bn.")
    return publish(article, first), first


def texts(page):
    return [child.value["text"] for child in page.corrections]


# --- What readers and machines get


def test_api_detail_lists_the_notes_newest_first(client, corrected):
    page, first = corrected
    update = note("The ministry has since confirmed the figure.", LATER, kind="update")
    publish(page, first, update)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [(n["kind"], n["text"]) for n in data["corrections"]] == [
        ("update", "The ministry has since confirmed the figure."),
        ("correction", first["value"]["text"]),
    ]
    assert data["corrections"][1]["id"] == first["id"]
    assert data["corrections"][1]["label"] == "訂正"  # the article's language (ja)
    assert data["corrections"][1]["date"].startswith("2025-03-04T19:30:00")  # Asia/Tokyo


def test_v3_detail_carries_the_same_notes(client, corrected):
    page, _first = corrected
    v2 = client.get(f"/api/v2/pages/{page.pk}/").json()["corrections"]
    response = client.get(f"/api/v3/pages/{page.pk}/")
    assert response.status_code == 200
    assert response.json()["corrections"] == v2


def test_json_ld_has_the_correction_and_date_modified_from_the_newest_note(client, corrected):
    page, first = corrected
    # Published before its notes were written (dateModified is never before publication).
    ArticlePage.objects.filter(pk=page.pk).update(published_at=WHEN - datetime.timedelta(days=9))
    update = note("Confirmed.", LATER, kind="update")
    page = publish(page, first, update)
    json_ld = client.get(f"/api/v2/pages/{page.pk}/").json()["json_ld"]
    # Updates correct nothing: only the correction is a CorrectionComment.
    assert json_ld["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": first["value"]["text"],
            "datePublished": "2025-03-04T19:30:00+09:00",
        }
    ]
    assert json_ld["dateModified"] == "2025-03-06T19:30:00+09:00"
    # Publishing again without a new note does not move it.
    page.save_revision().publish()
    again = client.get(f"/api/v2/pages/{page.pk}/").json()["json_ld"]
    assert again["dateModified"] == "2025-03-06T19:30:00+09:00"


def test_article_page_shows_a_labelled_section(client, corrected):
    page, first = corrected
    html = client.get(page.url).content.decode()
    assert '<section class="prism-corrections" aria-labelledby="prism-corrections-heading">' in html
    assert 'id="prism-corrections-heading"' in html
    assert "訂正と更新" in html  # the heading, in the article's language
    assert first["value"]["text"] in html
    assert '<time datetime="2025-03-04">' in html


def test_article_without_notes_has_no_section(client, article):
    html = client.get(article.url).content.decode()
    assert "prism-corrections" not in html
    assert "correction" not in client.get(f"/api/v2/pages/{article.pk}/").json()["json_ld"]


def test_feeds_show_the_article_as_updated(client, corrected):
    page, first = corrected
    # Dated after the publication that carries it (set in code: the form refuses
    # future dates), so that only the note can explain Atom's <updated>.
    noted = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    publish(page, first, note("Confirmed.", noted, kind="update"))
    atom = feedparser.parse(client.get("/feeds/atom/").content)
    entry = atom.entries[0]
    assert entry.updated_parsed[:6] == noted.astimezone(datetime.UTC).timetuple()[:6]
    assert entry.published_parsed != entry.updated_parsed
    rss = feedparser.parse(client.get("/feeds/rss/").content)
    item = rss.entries[0]
    assert first["value"]["text"] in item.description
    assert "Confirmed." in item.description
    # RSS keeps the first publication date (readers do not see a new story).
    page = ArticlePage.objects.get(pk=page.pk)
    assert item.published_parsed[:6] == page.published_at.astimezone(datetime.UTC).timetuple()[:6]


# --- A correction cannot rewrite history


def test_revision_publish_may_add_a_note(corrected):
    page, first = corrected
    second = note("A second correction.", LATER)
    page = publish(page, first, second)
    assert texts(page) == [first["value"]["text"], "A second correction."]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda first: [], id="removed"),
        pytest.param(
            lambda first: [{**first, "value": {**first["value"], "text": "Fixed."}}],
            id="text-altered",
        ),  # fmt: skip
        pytest.param(
            lambda first: [{**first, "value": {**first["value"], "kind": "update"}}],
            id="kind-altered",
        ),  # fmt: skip
        pytest.param(
            lambda first: [note("Other", LATER), note(first["value"]["text"])],
            id="replaced-under-a-new-id",
        ),  # fmt: skip
    ],
)
def test_revision_publish_refuses_to_rewrite_a_published_note(corrected, change):
    page, first = corrected
    page.corrections = json.dumps(change(first))
    revision = page.save_revision()
    with pytest.raises(PublishingBlocked) as refused:
        revision.publish()
    assert [b.code for b in refused.value.blockers] == ["note_changed"]
    assert "変更も削除もできません" in " ".join(refused.value.messages)  # the site's language
    assert texts(ArticlePage.objects.get(pk=page.pk)) == [first["value"]["text"]]


def test_the_same_moment_in_another_time_zone_is_no_change(corrected):
    page, first = corrected
    tokyo = WHEN.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    same = {**first, "value": {**first["value"], "date": tokyo.isoformat()}}
    page = publish(page, same, note("More.", LATER))
    assert len(texts(page)) == 2


def test_a_plain_save_of_the_live_row_cannot_alter_a_note(corrected):
    page, first = corrected
    page.corrections = json.dumps([{**first, "value": {**first["value"], "text": "Quiet."}}])
    with pytest.raises(PublishingBlocked):
        page.save()


def test_unpublished_and_republished_keeps_the_rule(corrected):
    page, first = corrected
    page.unpublish()
    page = ArticlePage.objects.get(pk=page.pk)
    page.corrections = json.dumps([])
    with pytest.raises(PublishingBlocked):
        page.save_revision().publish()


def note_form_data(notes):
    """The admin's StreamField form data for ``notes`` (ids kept, as the editor's JS does)."""
    items = {
        str(i): {"type": "note", "id": n["id"], "deleted": "", "order": str(i), "value": {
            "kind": n["value"]["kind"],
            "date": datetime.datetime.fromisoformat(n["value"]["date"])
            .astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M"),
            "text": n["value"]["text"],
        }}
        for i, n in enumerate(notes)
    }  # fmt: skip
    return nested_form_data({"corrections": {"count": str(len(notes)), **items}})


def admin_publish(admin_client, page, notes):
    data = edit_form_data(admin_client, page, body=FORM_BODY)
    data.update(note_form_data(notes))
    return admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_admin_edit_refuses_to_alter_a_published_note(admin_client, corrected):
    page, first = corrected
    altered = {**first, "value": {**first["value"], "text": "Quietly rewritten."}}
    response = admin_publish(admin_client, page, [altered])
    # Back to the editor, with the reason (in the editor's language, Japanese here).
    assert response.status_code == 302
    assert (
        "公開済みの訂正・更新は変更も削除もできません"
        in admin_client.get(response["Location"]).content.decode()
    )
    assert texts(ArticlePage.objects.get(pk=page.pk)) == [first["value"]["text"]]


def test_admin_edit_publishes_a_new_note(admin_client, corrected):
    page, first = corrected
    response = admin_publish(admin_client, page, [first, note("Added by an editor.", LATER)])
    assert response.status_code == 302
    assert texts(ArticlePage.objects.get(pk=page.pk)) == [
        first["value"]["text"],
        "Added by an editor.",
    ]


def test_a_note_dated_in_the_future_names_the_field(admin_client, article):
    ahead = note("Too early.", timezone.now() + datetime.timedelta(days=1))
    response = admin_publish(admin_client, article, [ahead])
    assert response.status_code == 200
    # The message sits in the StreamField's error data, beside the note's "date".
    html = response.content.decode()
    assert json.dumps("注記に未来の日付は付けられません")[1:-1] in html
    assert texts(ArticlePage.objects.get(pk=article.pk)) == []


# --- Webhooks


@pytest.fixture
def endpoint(db, receiver):
    return WebhookEndpoint.objects.create(
        name="Front end", url=receiver.url, secret=SECRET, event_types=EVENT_TYPES
    )


def received(receiver):
    run_worker()
    return [r.json for r in receiver.requests]


def test_publish_adding_a_note_sends_page_corrected(
    corrected, endpoint, receiver, django_capture_on_commit_callbacks
):  # the article's first publication before the endpoint: its events are not this test's
    page, first = corrected
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, first, note("Second.", LATER))
    bodies = received(receiver)
    assert sorted(b["type"] for b in bodies) == ["page.corrected", "page.published"]
    corrected_event = next(b for b in bodies if b["type"] == "page.corrected")
    assert [n["text"] for n in corrected_event["notes"]] == ["Second."]
    assert corrected_event["card"]["id"] == page.pk


def test_publish_without_a_new_note_sends_no_page_corrected(
    corrected, endpoint, receiver, django_capture_on_commit_callbacks
):  # the article's first publication before the endpoint: its events are not this test's
    page, first = corrected
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, first)
    assert [b["type"] for b in received(receiver)] == ["page.published"]


def test_first_publication_with_a_note_corrects_nothing(
    endpoint, receiver, category, django_capture_on_commit_callbacks
):
    page = ArticlePageFactory(parent=category, live=False, slug="draft")
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, note("Written before it went out."))
    assert [b["type"] for b in received(receiver)] == ["page.published"]


# --- Caches


def test_the_corrected_text_is_served_at_once_with_the_response_cache(
    client, corrected, prism_settings, django_capture_on_commit_callbacks
):
    prism_settings(RESPONSE_CACHE=True, CACHE_MAX_AGE=30, CACHE_S_MAXAGE=600)
    page, first = corrected
    urls = [page.url, f"/api/v2/pages/{page.pk}/"]
    for url in urls:
        states = [client.get(url)["X-Prism-Cache"] for _ in range(3)]
        assert states[-1] == "hit", (url, states)
    with django_capture_on_commit_callbacks(execute=True):  # invalidation runs on commit
        publish(page, first, note("Served at once.", LATER))
    for url in urls:
        response = client.get(url)
        assert "Served at once." in response.content.decode(), url
