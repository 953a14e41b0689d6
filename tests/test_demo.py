import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail_localize.models import StringSegment

from prism_news.models import ArticlePage, Author, CategoryIndexPage, DisclaimerPage

from .shared_data import load_demo


def counts():
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "categories": CategoryIndexPage.objects.count(),
        "disclaimers": DisclaimerPage.objects.count(),
        "authors": Author.objects.count(),
        "images": get_image_model().objects.count(),
    }


def build_module_data(request):
    """The demo, loaded once for this module's tests (tests/shared_data.py)."""
    load_demo()


@pytest.fixture
def demo(module_data, prism_settings):
    prism_settings(REQUIRE_AI_REVIEW=True)  # as the example site runs


def test_load_demo_builds_the_newsroom_and_running_it_again_adds_nothing(demo):
    first = counts()
    assert first["articles"] == 10  # five stories, each in ja and en
    assert first["categories"] == 4
    assert first["disclaimers"] == 2
    assert first["authors"] == 2
    assert first["images"] == 6  # five heroes and the publisher logo
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first


def test_demo_is_served_in_both_languages(demo, client):
    for path in ("/", "/en/", "/politics/", "/en/politics/", "/en/ai-content-policy/"):
        assert client.get(path).status_code == 200, path
    response = client.get("/api/v2/pages/?type=prism_news.ArticlePage&limit=20")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 10
    assert sorted(item["meta"]["locale"] for item in items) == ["en"] * 5 + ["ja"] * 5


def test_english_pages_read_in_english(demo, client):
    html = client.get("/en/politics/pax-silica-eurasia/").content.decode()
    assert "Pax Silica" in html
    assert "Chief Editor" in html
    assert "AI analysis" in html
    assert "This content was summarised and analysed by AI" in html
    # No Japanese body text leaks onto the English page.
    article = ArticlePage.objects.get(slug="pax-silica-eurasia", locale__language_code="en")
    for child in article.body:
        assert not any("\u3040" <= ch <= "\u30ff" for ch in str(child.value)), child.block_type


def test_every_source_string_was_translated(demo):
    ja_article = ArticlePage.objects.get(slug="pax-silica-eurasia", locale__language_code="ja")
    segments = StringSegment.objects.filter(
        source__object_id=ja_article.translation_key
    ).annotate_translation(
        ArticlePage.objects.get(slug="pax-silica-eurasia", locale__language_code="en").locale
    )
    assert segments.exists()
    assert not segments.filter(translation__isnull=True).exists()


def test_stories_carry_review_sources_tags_and_pins(demo):
    stories = ArticlePage.objects.filter(locale__language_code="ja")
    for story in stories:
        assert story.ai_involvement == "analysis"
        assert story.ai_reviewed_by.username == "chief-editor"
        assert story.ai_reviewed_at is not None
        assert story.sources.count() == 1
        assert story.tags.exists()
        assert story.hero_image_alt
    pax = stories.get(slug="pax-silica-eurasia")
    politics = pax.get_parent()
    pinned = {pin.article_id for pin in pax.related_pins.all()}
    others = set(
        ArticlePage.objects.child_of(politics).exclude(pk=pax.pk).values_list("pk", flat=True)
    )
    assert pinned == others and len(pinned) == 3
    assert pax.reading_time >= 4


def test_each_site_reads_in_its_own_language(demo, client):
    ja = client.get("/politics/pax-silica-eurasia/").content.decode()
    for label in ("関連記事", "出典", "AI分析", "分で読める", "本文へスキップ", "編集長"):
        assert label in ja, label
    en = client.get("/en/politics/pax-silica-eurasia/").content.decode()
    for label in ("Related articles", "Source", "AI analysis", "min read", "Skip to content"):
        assert label in en, label
    for label in ("関連記事", "出典", "分で読める", "編集長"):
        assert label not in en, label


def test_every_story_is_reviewed_in_every_language_and_everyone_says_so(demo, client, admin_client):
    import re
    from datetime import datetime

    from django.urls import reverse
    from django.utils import translation

    from prism_news.ai_review import ReviewState, latest_state

    queue = re.findall(
        r'<a href="/admin/pages/(\d+)/edit/"',
        admin_client.get(reverse("prism_review_queue:index")).content.decode(),
    )
    assert queue == []
    for article in ArticlePage.objects.all():
        assert latest_state(article) == ReviewState.REVIEWED, article
        with translation.override("en"):
            assert article.review_state == "Reviewed", article
        ai = client.get(f"/api/v2/pages/{article.pk}/").json()["ai"]
        # The desk account has no personal name: "the editors", in the article's language.
        assert ai["reviewed"] is True and ai["reviewed_by"] is None, article
        assert datetime.fromisoformat(ai["reviewed_at"]) == article.ai_reviewed_at, article
        html = client.get(article.url).content.decode()
        provenance = html.split('class="prism-provenance"', 1)[1].split("</p>", 1)[0]
        with translation.override(article.locale.language_code):
            sentence = translation.gettext("Reviewed by the editors on %(reviewed)s.")
        for fragment in sentence.split("%(reviewed)s"):
            assert fragment.strip() in provenance, (article, provenance)


def test_the_demo_is_news_on_the_day_it_loads(demo, client):
    """Its stories are dated relative to the load, newest first as in the content, so the
    Google News sitemap (the last NEWS_SITEMAP_HOURS) has entries."""
    import datetime
    import re

    from django.utils import timezone

    from home.demo import content

    now = timezone.now()
    stories = ArticlePage.objects.filter(locale__language_code="ja")
    ages = {story.slug: now - story.published_at for story in stories}
    assert all(datetime.timedelta(0) < age < datetime.timedelta(days=14) for age in ages.values())
    assert sum(age < datetime.timedelta(hours=48) for age in ages.values()) >= 2
    written = {spec["slug"]: spec["published_at"] for spec in content.STORIES}
    assert sorted(ages, key=ages.get) == sorted(written, key=written.get, reverse=True)
    for story in stories:  # each source dated before its story
        (source,) = story.sources.all()
        assert source.published_at <= timezone.localtime(story.published_at).date()
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    found = re.findall(r"<news:publication_date>([^<]+)<", response.content.decode())
    assert len(found) >= 4, response.content.decode()[:500]  # ja and en, two stories each


def test_the_review_workflow_is_named_in_the_default_language(demo, settings):
    from django.contrib.auth.models import Group

    from home.models import HomePage

    assert settings.LANGUAGE_CODE == "ja"
    workflow = HomePage.objects.first().get_workflow()
    assert workflow.name == "AIコンテンツの確認"
    assert [task.name for task in workflow.tasks] == ["AIコンテンツの人による確認"]
    assert list(Group.objects.filter(name__startswith="AI").values_list("name", flat=True)) == [
        "AI記事の確認担当"
    ]
