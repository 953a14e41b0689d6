import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from prism_news.models import (
    AIReviewTask,
    ArticlePageAuthor,
    NewsroomDefaultDisclaimer,
    NewsroomSettings,
    RelatedArticlePin,
)

from .api_fixtures import image_body, translate
from .factories import (
    ArticlePageFactory,
    AuthorFactory,
    CategoryIndexPageFactory,
    DisclaimerPageFactory,
    ImageFactory,
    source,
)
from .shared_data import _module_data_once, module_data  # noqa: F401  (fixtures)
from .site_process import migrated_sqlite, site_db  # noqa: F401  (fixtures)
from .slow_marker import unmarked_spawning_tests


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """``-m "not slow"`` skips every test that starts a process: refuse to run one
    that does without the marker (tests/slow_marker.py)."""
    unmarked = unmarked_spawning_tests(items)
    if unmarked:
        raise pytest.UsageError(
            "these tests start a subprocess or a browser; mark them @pytest.mark.slow: "
            + ", ".join(unmarked)
        )


@pytest.fixture
def ja(db):
    return Locale.objects.get(language_code="ja")


@pytest.fixture
def en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def home(ja):
    """The default site's root page (Wagtail's initial welcome page, in ja)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


@pytest.fixture
def category(home):
    return CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")


@pytest.fixture
def prism_settings(settings):
    """Override PRISM_NEWS keys: ``prism_settings(RELATED_COUNT=2)``."""

    def apply(**values):
        settings.PRISM_NEWS = {**getattr(settings, "PRISM_NEWS", {}), **values}

    return apply


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths and renditions; the database is rolled back
    between tests, so the cache must be too (and what each process remembers of the
    response cache: a failure, the waiting invalidations it read)."""
    from django.core.cache import cache

    from prism_news.caching import breaker, pending

    cache.clear()
    breaker.reset()
    pending.reset()
    yield
    cache.clear()
    breaker.reset()
    pending.reset()


@pytest.fixture
def newsroom(home, category, en):
    """An AI-analysis story with everything, three pinned stories, a policy and an en copy."""
    return build_newsroom(home, category, en)


def build_newsroom(home=None, category=None, en=None):
    """The ``newsroom`` fixture's data; for a module that builds it once
    (tests/shared_data.py), the same from the site as it is."""
    if home is None:
        home = Site.objects.get(is_default_site=True).root_page.specific
        category = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
        en = Locale.objects.get_or_create(language_code="en")[0]
    policy = DisclaimerPageFactory(parent=home, slug="ai-policy")
    settings = NewsroomSettings.for_site(home.get_site())
    settings.publisher_name = "Prism News"
    settings.publisher_logo = ImageFactory(title="logo")
    settings.save()
    NewsroomDefaultDisclaimer.objects.create(settings=settings, kind="ai", disclaimer=policy)
    others = [
        ArticlePageFactory(
            parent=category,
            title=f"Other {i}",
            tags=["chips"],
            hero_image=ImageFactory(),
            hero_image_alt=f"Other image {i}",
        )
        for i in range(3)
    ]
    article = ArticlePageFactory(
        parent=category,
        title="Pax Silica",
        slug="pax-silica",
        summary="An alliance for chips.",
        hero_image=ImageFactory(title="hero"),
        hero_image_alt="Glowing nodes",
        hero_image_caption="An alliance",
        hero_image_credit="Prism News",
        ai_involvement="analysis",
        ai_model="model-x",
        sources=[
            source(publisher="The Diplomat", published_at="2026-01-20"),
            source(publisher="Reuters", url="https://www.reuters.com/"),
            source(publisher="AP", url="https://apnews.com/"),
        ],
        body=image_body([ImageFactory()], link_to=others[0]),
        tags=["chips", "kazakhstan", "us-china", "alliances", "eurasia"],
    )
    author = AuthorFactory(name="Mari Saeki", role="Chief Editor")
    ArticlePageAuthor.objects.create(page=article, author=author)
    for other in others:
        RelatedArticlePin.objects.create(page=article, article=other)
    en_policy = translate(policy, en, title="AI policy (en)")
    en_article = translate(article, en, title="Pax Silica (en)")
    return {
        "article": article,
        "others": others,
        "policy": policy,
        "en_policy": en_policy,
        "en_article": en_article,
        "author": author,
    }


# --- Human review of AI content


@pytest.fixture
def policy_on(prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user(
        "reviewer", "r@x.test", "pw", first_name="Mari", last_name="Saeki", is_staff=True
    )
    group = Group.objects.create(name="AI reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.fixture
def workflow(category, reviewer):
    """The review workflow on the category, its reviewers allowed to publish there."""
    task = AIReviewTask.objects.create(name="Human review of AI content")
    task.groups.add(*reviewer.groups.all())
    # Approving the last task publishes, which takes the permission to publish.
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=reviewer.groups.get(),
            page=category,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    workflow = Workflow.objects.create(name="AI review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=category, workflow=workflow)
    return workflow


@pytest.fixture
def bilingual(home, en):
    """A small newsroom in ja and en: home pages, a section, a policy, a translated
    AI-analysis story with a source and byline, and a story with no translation."""
    from prism_news.models import CategoryIndexPage

    settings = NewsroomSettings.for_site(home.get_site())
    settings.publisher_name = "Prism News"
    settings.publisher_logo = ImageFactory(title="logo")
    settings.save()
    en_home = translate(home, en, title="Home")
    politics = CategoryIndexPageFactory(parent=home, title="政治", slug="politics")
    policy = DisclaimerPageFactory(parent=home, title="AIポリシー", slug="ai-policy")
    NewsroomDefaultDisclaimer.objects.create(settings=settings, kind="ai", disclaimer=policy)
    author = AuthorFactory(name="佐伯 真理", role="編集長")
    story = ArticlePageFactory(
        parent=politics,
        title="同盟の記事",
        slug="alliance",
        summary="同盟についての要約。",
        hero_image=ImageFactory(title="hero"),
        hero_image_alt="光る点",
        ai_involvement="analysis",
        sources=[source(publisher="The Diplomat", title="Pax Silica report")],
        tags=["chips"],
    )
    ArticlePageAuthor.objects.create(page=story, author=author)
    lonely = ArticlePageFactory(parent=politics, title="翻訳のない記事", slug="lonely")
    en_politics = translate(politics, en, title="Politics")
    en_policy = translate(policy, en, title="AI policy")
    en_story = translate(story, en, title="The alliance story", summary="About the alliance.")
    return {
        "home": home,
        "en_home": en_home,
        "politics": politics,
        "en_politics": CategoryIndexPage.objects.get(pk=en_politics.pk),
        "policy": policy,
        "en_policy": en_policy,
        "story": story,
        "en_story": en_story,
        "lonely": lonely,
        "author": author,
    }


# --- Webhooks


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that checks signatures (tests/webhook_receiver.py)."""
    from .webhook_receiver import Receiver

    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def clock(monkeypatch):
    """Moves ``time.time()`` and ``timezone.now()`` forward together: the clocks the
    response cache, the visibility rule and Django's local-memory cache read."""
    real_time, real_now, offset = time.time, timezone.now, [0.0]
    monkeypatch.setattr(time, "time", lambda: real_time() + offset[0])
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=offset[0]))

    class Clock:
        def advance(self, seconds):
            offset[0] += seconds

    return Clock()
