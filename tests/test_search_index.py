"""The search index follows publication, through the task worker.

Wagtail (django-modelsearch) updates the index in a task per saved object
(``insert_or_update_object_task``), which the worker runs after the commit, and removes a
deleted object at once. Here the tasks go through django-tasks' database backend, as in
the example site, and the worker runs in this process (``run_worker``), so each test sees
the index before and after the worker: readers find what the worker has indexed.

The index holds the page's row, which is its live content: the words of a draft
revision never reach it, whichever path saves the draft (the admin, code,
wagtail-localize's synchronisation).
"""

import io
import re
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from modelsearch.index import get_indexed_models
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.test.utils.form_data import rich_text, streamfield

from prism_news import search_index
from prism_news.models import ArticlePage

from .admin_forms import edit_form_data
from .factories import ArticlePageFactory, CategoryIndexPageFactory
from .test_translation import submit_for_translation, translate_strings
from .webhook_receiver import run_worker

ARTICLES_V2 = "/api/v2/pages/?type=prism_news.ArticlePage&limit=50"
ARTICLES_V3 = "/api/v3/pages/?type=prism_news.ArticlePage&limit=50"
#: Wagtail's index task, and prism_news's for its own pages (prism_news.search_index).
INDEX_TASKS = [
    "modelsearch.tasks.insert_or_update_object_task",
    "prism_news.search_index.index_page",
]


@pytest.fixture
def worker(settings):
    """Wagtail's tasks wait in the database, as in the example site, until ``worker()``
    runs them; an index task that failed fails the test."""
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        run_worker(backend_name="default")
        failed = DBTaskResult.objects.filter(status="FAILED", task_path__in=INDEX_TASKS)
        assert not failed.exists(), [(r.task_path, r.traceback) for r in failed]

    return run


def waiting_index_tasks():
    return DBTaskResult.objects.filter(task_path__in=INDEX_TASKS, status="READY").count()


def found(client, word, *, extra=""):
    """Ids of the live articles readers find for ``word``: the public API's v2 and v3
    (which must agree) and the ORM's ``live().search()`` (without ``extra`` filters)."""
    v2 = client.get(f"{ARTICLES_V2}&search={word}{extra}")
    v3 = client.get(f"{ARTICLES_V3}&search={word}{extra}")
    assert v2.status_code == 200 and v3.status_code == 200, (v2.content, v3.content)
    v2_ids = {item["id"] for item in v2.json()["items"]}
    v3_ids = {item["id"] for item in v3.json()["items"]}
    assert v2_ids == v3_ids, (word, v2_ids, v3_ids)
    if not extra:
        assert v2_ids == {page.pk for page in ArticlePage.objects.live().search(word)}, word
    return v2_ids


def indexed(word):
    """Ids of every article, live or not, whose index entry has ``word`` (the admin's search)."""
    return {page.pk for page in ArticlePage.objects.search(word)}


def draft_article(category, **fields):
    return ArticlePageFactory(parent=category, live=False, **fields)


def test_a_published_article_is_found_once_the_worker_has_run(client, category, worker):
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    assert waiting_index_tasks() >= 1
    assert found(client, "quokka") == set()  # not yet indexed: the worker has not run
    worker()
    assert waiting_index_tasks() == 0
    assert found(client, "quokka") == {article.pk}

    # A published edit: the new words are found, the old ones no longer, after the worker.
    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "Wombat census"
    article.summary = "Counting wombats in the bush."
    article.save_revision().publish()
    assert found(client, "wombat") == set()
    worker()
    assert found(client, "wombat") == {article.pk}
    assert found(client, "quokka") == set()


def test_a_rolled_back_publication_leaves_no_task(category, worker):
    """The task is a row in the same database transaction as the page: a publication
    that rolls back takes its task with it, and one that commits cannot lose it."""
    article = draft_article(category, title="Quokka census")
    worker()
    before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.save_revision().publish()
        assert waiting_index_tasks() >= 1
        raise RuntimeError("the request failed after the publish")
    assert DBTaskResult.objects.count() == before
    worker()
    assert indexed("quokka") == {article.pk}  # the draft page's own row
    assert not ArticlePage.objects.get(pk=article.pk).live


SECRET = "platypus"


def test_a_draft_is_not_searchable_whichever_way_it_is_saved(
    client, admin_client, category, worker
):
    article = draft_article(category, title="Quokka census", tags=["marsupials"])
    article.save_revision().publish()
    worker()

    # A draft saved in code: the secret in the title, summary, body and tags.
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    draft.title = f"Quokka {SECRET} census"
    draft.summary = f"The {SECRET} summary."
    draft.body = [("paragraph", f"<p>The {SECRET} body.</p>")]
    draft.tags.add(SECRET)
    draft.save_revision()
    worker()
    # A draft saved in the admin ("Save draft").
    body = streamfield([("paragraph", rich_text(f"<p>Admin {SECRET} body.</p>"))])
    data = edit_form_data(admin_client, article, body=body, action=None)
    data["title"] = f"Quokka census {SECRET} admin"
    data["summary"] = f"Admin {SECRET} summary."
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.has_unpublished_changes and SECRET in article.draft_title
    worker()

    assert indexed(SECRET) == set()  # not in the index at all
    assert found(client, SECRET) == set()
    assert found(client, "quokka") == {article.pk}  # the live words still are
    assert SECRET not in client.get(article.url).content.decode()
    assert SECRET not in client.get(f"/api/v2/pages/{article.pk}/").content.decode()
    assert SECRET not in client.get(f"/api/v3/pages/{article.pk}/").content.decode()

    # Published, the draft's words are found.
    article.get_latest_revision().publish()
    worker()
    assert found(client, SECRET) == {article.pk}


def test_unpublishing_takes_an_article_out_of_search(client, category, worker):
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    worker()
    article = ArticlePage.objects.get(pk=article.pk)
    article.unpublish()
    worker()
    assert found(client, "quokka") == set()
    assert indexed("quokka") == {article.pk}  # editors still find it in the admin
    article.get_latest_revision().publish()
    worker()
    assert found(client, "quokka") == {article.pk}


def test_scheduled_publication_and_expiry_follow_publish_scheduled(client, category, worker):
    from django.core.management import call_command

    past = timezone.now() - timedelta(minutes=5)
    expiring = draft_article(category, title="Quokka census")
    expiring.save_revision().publish()
    scheduled = draft_article(category, title="Wombat census")
    worker()

    expiring = ArticlePage.objects.get(pk=expiring.pk)
    expiring.expire_at = past
    expiring.save(update_fields=["expire_at"])
    scheduled = ArticlePage.objects.get(pk=scheduled.pk)
    scheduled.title = "Wombat census, scheduled"
    scheduled.summary = "Numbat sightings."
    scheduled.save_revision(approved_go_live_at=past)
    worker()
    assert found(client, "numbat") == set()

    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    worker()
    assert not ArticlePage.objects.get(pk=expiring.pk).live
    assert found(client, "quokka") == set()
    assert found(client, "numbat") == {scheduled.pk}


def test_a_moved_article_is_found_in_its_new_section(client, home, category, worker):
    economy = CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    worker()
    Page.objects.get(pk=article.pk).move(economy, pos="last-child")
    worker()
    assert found(client, "quokka", extra=f"&child_of={economy.pk}") == {article.pk}
    assert found(client, "quokka", extra=f"&child_of={category.pk}") == set()
    assert found(client, "quokka") == {article.pk}


def test_a_deleted_article_leaves_the_index_at_once(client, category, worker):
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    worker()
    entries = IndexEntry.objects.filter(object_id=str(article.pk))
    assert entries.exists()
    Page.objects.get(pk=article.pk).delete()
    assert not entries.exists()  # no task: modelsearch removes it on delete
    assert indexed("quokka") == set()
    worker()
    assert found(client, "quokka") == set()


def test_translations_follow_wagtail_localize(
    client, category, en, admin_user, worker, django_capture_on_commit_callbacks
):
    """A translation made, synchronised and published through wagtail-localize's own
    code (the admin's Translate action and its editor's Publish): the English words
    are found in English once published, never while they are a draft."""
    story = ArticlePageFactory(
        parent=category,
        title="同盟の記事",
        summary="同盟についての要約。",
        body=[("paragraph", "<p>米国主導の技術同盟。</p>")],
    )
    worker()
    commit = django_capture_on_commit_callbacks  # wagtail-localize publishes on commit
    with commit(execute=True):
        translation = submit_for_translation(story, en, admin_user)
    translate_strings(
        translation,
        {
            "同盟の記事": "The alliance story",
            "同盟についての要約。": "About the alliance.",
            "米国主導の技術同盟。": "A US-led technology alliance.",
        },
    )
    with commit(execute=True):
        translation.save_target(user=admin_user, publish=True)
    en_story = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    assert not en_story.live or found(client, "alliance") == set()
    worker()
    assert found(client, "alliance", extra="&locale=en") == {en_story.pk}

    # The source gains a paragraph; a sync saves its translation as a draft only.
    story = ArticlePage.objects.get(pk=story.pk)
    story.body.append(("paragraph", "<p>カザフスタンの役割。</p>"))
    story.save_revision().publish()
    translation.source.update_from_db()
    translate_strings(translation, {"カザフスタンの役割。": "Kazakhstan's part."})
    with commit(execute=True):
        translation.save_target(user=admin_user, publish=False)
    worker()
    assert found(client, "kazakhstan", extra="&locale=en") == set()
    assert en_story.pk not in indexed("kazakhstan")

    with commit(execute=True):
        translation.save_target(user=admin_user, publish=True)
    worker()
    assert found(client, "kazakhstan", extra="&locale=en") == {en_story.pk}


def test_an_article_deleted_before_the_worker_ran_leaves_no_failed_task(category, worker):
    """Wagtail's own task would fail (DoesNotExist) for a page that is gone."""
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    Page.objects.get(pk=article.pk).delete()
    assert waiting_index_tasks() >= 1
    worker()  # fails the test if an index task failed
    assert indexed("quokka") == set()
    done = DBTaskResult.objects.filter(task_path__in=INDEX_TASKS, status="SUCCESSFUL")
    assert {r.return_value for r in done} == {"gone"}


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_backend_is_tried_again_later(client, category, worker, settings):
    """An Elasticsearch that refuses connections (nothing listens on its port): the
    database backend is written, the other is tried again after a delay, and the page
    is written there once it can be reached; after the last try the task fails."""
    dead = {
        "BACKEND": "modelsearch.backends.elasticsearch8",
        "URLS": [f"http://127.0.0.1:{unused_port()}"],
        "TIMEOUT": 1,
        "OPTIONS": {"max_retries": 0},
    }
    database = {"BACKEND": "wagtail.search.backends.database"}
    settings.WAGTAILSEARCH_BACKENDS = {"default": database, "edge": dead}
    article = draft_article(category, title="Quokka census")
    article.save_revision().publish()
    start = timezone.now()
    worker()
    assert found(client, "quokka") == {article.pk}  # the reachable backend has it
    retries = DBTaskResult.objects.filter(task_path=INDEX_TASKS[1], status="READY")
    assert retries.exists()
    for retry in retries:
        assert retry.args_kwargs["args"] == [article.pk, 1]
        assert retry.run_after >= start + timedelta(seconds=search_index.RETRY_DELAYS[0])
    worker()  # not due yet: left waiting
    assert retries.count() > 0

    settings.WAGTAILSEARCH_BACKENDS = {"default": database}  # the edge is reachable again
    retries.update(run_after=timezone.now())
    worker()
    assert not retries.exists()
    results = DBTaskResult.objects.filter(
        task_path=INDEX_TASKS[1], args_kwargs__args=[article.pk, 1]
    )
    assert {r.return_value for r in results} == {"indexed"}

    settings.WAGTAILSEARCH_BACKENDS = {"default": database, "edge": dead}
    last = len(search_index.RETRY_DELAYS)
    with pytest.raises(search_index.IndexingFailed, match="update_index"):
        search_index.index_page.call(article.pk, last)


def index_size():
    """Objects the index should hold: every indexed model's indexed objects."""
    return sum(model.get_indexed_objects().count() for model in get_indexed_models())


def test_update_index_rebuilds_the_index_and_reports_each_model(client, category, worker):
    articles = [draft_article(category, title=f"Quokka census {i}") for i in range(3)]
    for article in articles:
        article.save_revision().publish()
    assert found(client, "quokka") == set()  # the worker has not run
    out = io.StringIO()
    call_command("update_index", stdout=out)
    assert found(client, "quokka") == {article.pk for article in articles}
    lines = out.getvalue().splitlines()
    assert "Updating backend: default" in lines
    assert any(line.startswith("default: prism_news.ArticlePage ") for line in lines), lines
    assert f"default: indexed {index_size()} objects" in lines


def test_load_demo_leaves_a_complete_index(db, client, worker, prism_settings):
    """``make demo`` serves the demo right after ``load_demo``: search finds its stories
    before any worker has run (the tasks are still waiting)."""
    prism_settings(REQUIRE_AI_REVIEW=True)  # as the example site runs
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert waiting_index_tasks() > 0
    for word in ("Kazakhstan", "alliance", "Pax"):
        assert len(found(client, word, extra="&locale=en")) == 1, word
    assert f"default: indexed {index_size()} objects" in out.getvalue()


# --- docs/search.md: the Elasticsearch settings it documents

DOC = Path(__file__).resolve().parent.parent / "docs" / "search.md"


def documented(section):
    text = DOC.read_text()
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_the_documented_elasticsearch_settings_build_the_backend(settings):
    """The snippet under "Beyond one database" is valid for modelsearch's Elasticsearch 8
    backend: it builds (the client connects on its first request, not before), its
    analyser is the index's default, and its own analysers are kept."""
    section = documented("Beyond one database")
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    settings.WAGTAILSEARCH_BACKENDS = namespace["WAGTAILSEARCH_BACKENDS"]
    backend = get_search_backend("default")
    assert type(backend).__module__ == "modelsearch.backends.elasticsearch8"
    assert backend.index_prefix == "newsroom_"
    assert backend.get_index_for_model(ArticlePage).name == "newsroom_wagtailcore_page"
    analysis = backend.settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["tokenizer"] == "ja"
    assert analysis["tokenizer"]["ja"]["type"] == "kuromoji_tokenizer"
    assert [analysis["char_filter"][name]["type"] for name in default["char_filter"]] == [
        "icu_normalizer",
        "kuromoji_iteration_mark",
    ]
    assert analysis["char_filter"]["nfkc"]["name"] == "nfkc"
    # Every filter is built in (kuromoji's, Elasticsearch's) or defined here.
    built_in = {"kuromoji_baseform", "kuromoji_part_of_speech", "ja_stop", "kuromoji_stemmer"}
    assert set(default["filter"]) <= built_in | {"lowercase"} | set(analysis["filter"])
    assert "en_stemmer" in default["filter"]
    assert {"ngram_analyzer", "edgengram_analyzer"} <= set(analysis["analyzer"])
    # Every key was taken: the rest would have gone to the client as options.
    assert backend.timeout == 5 and backend.rebuilder_class is backend.atomic_rebuilder_class


def test_the_documented_fields_and_boosts_are_the_mapping():
    from modelsearch.backends.elasticsearch8 import Elasticsearch8Mapping

    mapped = {}

    def walk(properties, path=""):
        for name, field in properties.items():
            name = name.removeprefix("prism_news_articlepage__")
            if field.get("type") == "nested":
                walk(field["properties"], f"{path}{name}.")
            elif "copy_to" in field:
                copies = (
                    field["copy_to"] if isinstance(field["copy_to"], list) else [field["copy_to"]]
                )
                boosts = [c.removeprefix("_all_text_boost_") for c in copies if c != "_all_text"]
                mapped[path + name] = float(boosts[0].replace("_", ".")) if boosts else 1.0

    walk(Elasticsearch8Mapping(ArticlePage).get_mapping()["properties"])
    rows = re.findall(r"^\| `([\w.]+)` \| ([\d.]+) \|$", documented("Beyond one database"), re.M)
    assert {name: float(boost) for name, boost in rows} == mapped


def test_a_cached_search_follows_the_index_not_only_the_publication(
    client, category, worker, prism_settings, django_capture_on_commit_callbacks
):
    """A search answered between the publication (which invalidates the listings) and the
    worker's index task is kept without the new article; the task invalidates it again."""
    prism_settings(RESPONSE_CACHE=True, API_COUNT_CACHE=True)
    url = f"{ARTICLES_V2}&search=numbat"
    article = draft_article(category, title="Numbat survey")
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert client.get(url).json()["meta"]["total_count"] == 0  # the worker has not run
    assert client.get(url)["X-Prism-Cache"] == "hit"  # ... and the answer is kept
    with django_capture_on_commit_callbacks(execute=True):
        worker()
    answer = client.get(url).json()
    assert {item["id"] for item in answer["items"]} == {article.pk}
    assert answer["meta"]["total_count"] == 1  # the count too, kept apart from the answer
