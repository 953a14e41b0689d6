"""Editors publishing at once on the example site's SQLite file, beside the task worker.

``make demo`` runs the web server (a thread per request), the task worker and commands
on one SQLite file. The example site opens it in WAL mode with a busy timeout and
immediate transactions, and ``AtomicPageAdminMiddleware`` makes each page change in the
admin one transaction: concurrent writers wait for each other instead of failing with
"database is locked", and a publication is whole (page row, live revision,
``first_published_at``, log entry, webhook event) or absent.

Real processes: ``runserver``, ``db_worker`` and a process that keeps enqueuing tasks;
editors log in and publish through the admin's edit form, several at once.
"""

import http.cookiejar
import json
import re
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from .site_process import EXAMPLE, PASSWORD, manage, newsroom, serving

EDITORS = 4
ROUNDS = 3

WEBHOOK_ENDPOINT = """
from prism_news.models import WebhookEndpoint
WebhookEndpoint.objects.create(
    name="Front end", url="http://127.0.0.1:9/hook", secret="s" * 32,
    event_types=["page.published"],
)
"""

#: A worker-like writer: enqueues Wagtail's reference-index task for the articles, over
#: and over (the worker then runs them: more writes), until its stdin closes.
ENQUEUER = """
import sys, threading
from wagtail.models import Page
from wagtail.tasks import update_reference_index_task
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
ids = list(Page.objects.filter(depth__gt=2).values_list("pk", flat=True))
count = 0
while not stop.is_set():
    for pk in ids:
        update_reference_index_task.enqueue("wagtailcore", "page", pk)
        count += 1
print("enqueued", count)
"""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer we check


class Editor:
    """A browser session in the admin."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def log_in(self):
        self.request("/admin/login/")
        status, _html = self.request(
            "/admin/login/",
            {"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
        )
        assert status == 302, status

    def publish(self, page_id, title):
        status, html = self.request(f"/admin/pages/{page_id}/edit/")
        if status != 200:
            return status, html
        data = querydict_from_html(html, form_id="page-edit-form")
        body = streamfield([("paragraph", rich_text(f"<p>{title}</p>"))])
        for key, value in nested_form_data({"body": body}).items():
            data[key] = value
        # The editor's script sends every StreamField's count, the notes' (none here) too.
        data["corrections-count"] = "0"
        data["title"] = title
        data["action-publish"] = "action-publish"
        data["csrfmiddlewaretoken"] = self.csrf()
        return self.request(f"/admin/pages/{page_id}/edit/", dict(data.lists()))


def state(path):
    """What the database holds about each article, read with sqlite3 itself."""
    db = sqlite3.connect(path)
    try:
        pages = db.execute(
            "SELECT p.id, p.title, p.live, p.first_published_at, p.has_unpublished_changes,"
            " r.content FROM wagtailcore_page p"
            " LEFT JOIN wagtailcore_revision r ON r.id = p.live_revision_id"
            " WHERE p.slug LIKE 'story-%'"
        ).fetchall()
        publications = dict(
            db.execute(
                "SELECT page_id, COUNT(*) FROM wagtailcore_pagelogentry"
                " WHERE action = 'wagtail.publish' GROUP BY page_id"
            ).fetchall()
        )
        events = [
            json.loads(args)
            for (args,) in db.execute(
                "SELECT args_kwargs FROM django_tasks_database_dbtaskresult"
                " WHERE task_path LIKE 'prism_news.webhooks.%'"
            )
        ]
    finally:
        db.close()
    return pages, publications, events


@pytest.mark.slow
def test_editors_publishing_at_once_beside_the_worker_all_succeed_whole(site_db, tmp_path):
    path, env = site_db
    log = tmp_path / "server.log"
    newsroom(env, articles=EDITORS)
    manage(env, "shell", "-c", WEBHOOK_ENDPOINT)
    pages_before, logged_before, _events = state(path)
    ids = sorted(page_id for page_id, *_rest in pages_before)

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"],
        cwd=EXAMPLE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    enqueuer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", ENQUEUER],
        cwd=EXAMPLE,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers = {page_id: [] for page_id in ids}
    errors = []
    try:
        with log.open("w") as server_stderr, serving(env, stderr=server_stderr) as base:

            def edit(page_id):
                try:
                    editor = Editor(base)
                    editor.log_in()
                    for round_ in range(ROUNDS):
                        title = f"Story {page_id}, take {round_}"
                        status, html = editor.publish(page_id, title)
                        answers[page_id].append((title, status, html))
                except Exception as error:  # noqa: BLE001  (reported below)
                    errors.append(repr(error))

            editors = [threading.Thread(target=edit, args=(page_id,)) for page_id in ids]
            for thread in editors:
                thread.start()
            for thread in editors:
                thread.join(timeout=600)
    finally:
        out, err = enqueuer.communicate("", timeout=120)
        worker.terminate()
        worker.wait(timeout=60)
    assert not errors, (errors, log.read_text()[-5000:])
    assert "enqueued" in out and int(out.split()[-1]) > 0, err

    statuses = [status for page_answers in answers.values() for _t, status, _h in page_answers]
    problems = [
        (title, status, re.sub(r"\s+", " ", html)[:300])
        for page_answers in answers.values()
        for title, status, html in page_answers
        if status != 302
    ]
    assert not problems, (problems, log.read_text()[-5000:])
    assert statuses == [302] * EDITORS * ROUNDS

    pages, publications, events = state(path)
    published = {
        event["args"][0]["page"]["id"]
        for event in events
        if event["args"] and isinstance(event["args"][0], dict)
    }
    for page_id, title, live, first_published_at, unpublished, live_content in pages:
        last_title = answers[page_id][-1][0]
        assert (title, live, unpublished) == (last_title, 1, 0), page_id
        assert first_published_at is not None
        assert json.loads(live_content)["title"] == last_title
        assert publications[page_id] - logged_before.get(page_id, 0) == ROUNDS
        assert page_id in published
    page_events = [
        event for event in events if event["args"] and isinstance(event["args"][0], dict)
    ]
    assert len(page_events) == EDITORS * ROUNDS
