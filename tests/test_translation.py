"""Translation with wagtail-localize's real machinery: policy, drafts, sync, alternates,
and a third language by configuration alone."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.utils.translation import override
from wagtail.models import Locale
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from prism_news.checks import check_translation_live_status
from prism_news.models import ArticlePage, ArticleSource, Author, CategoryIndexPage, DisclaimerPage
from prism_news.publish_gate import PublishingBlocked
from prism_news.translation import MissingTranslation, translate_instance

from .factories import ArticlePageFactory, source

JA_BODY = "<p>米国主導の技術同盟が中国抜きの供給網を目指す。</p>"
EN_BODY = "The US-led technology alliance seeks supply chains without China."


def policy(model):
    fields = get_translatable_fields(model)
    translated = {f.field_name for f in fields if f.is_translated(model())}
    synchronised = {f.field_name for f in fields if f.is_synchronized(model())}
    return translated, synchronised


def test_field_policy_is_deliberate(db):
    translated, synchronised = policy(ArticlePage)
    assert {"title", "slug", "summary", "body", "hero_image_alt", "hero_image_caption",
            "hero_image_credit", "seo_title", "search_description"} <= translated  # fmt: skip
    assert {"hero_image", "published_at", "updated_at", "ai_involvement", "ai_model",
            "sources", "article_authors", "related_pins", "disclaimer",
            "tagged_items"} <= synchronised  # fmt: skip
    # Each language's review is its own: neither translated nor copied from the source.
    review = {"ai_reviewed_by", "ai_reviewed_at", "ai_review_fingerprint", "ai_review_current"}
    assert not review & (translated | synchronised)
    overrides = {
        f.field_name: f.is_overridable(ArticlePage()) for f in get_translatable_fields(ArticlePage)
    }
    assert not overrides["ai_model"] and not overrides["sources"] and overrides["hero_image"]
    assert {"intro"} <= policy(CategoryIndexPage)[0]
    assert {"short_text", "body"} <= policy(DisclaimerPage)[0]
    assert "kind" in policy(DisclaimerPage)[1]
    assert {"name", "role", "bio"} <= policy(Author)[0] and "image" in policy(Author)[1]


@pytest.fixture
def story(category):
    return ArticlePageFactory(
        parent=category,
        title="技術同盟",
        summary="米国主導の同盟。",
        body=[("paragraph", JA_BODY), ("heading", {"text": "供給網", "level": "2"})],
        ai_involvement="analysis",
        sources=[source()],
    )


def submit_for_translation(page, locale, admin_user):
    """What the admin's "Translate" action does."""
    TranslationCreator(admin_user, [locale]).create_translations(page)
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def translate_strings(translation, mapping):
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        if segment.string.data in mapping:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=translation.target_locale,
                context=segment.context,
                defaults={"data": mapping[segment.string.data], "translation_type": "manual"},
            )


ENGLISH = {
    "技術同盟": "Tech alliance",
    "米国主導の同盟。": "A US-led alliance.",
    "米国主導の技術同盟が中国抜きの供給網を目指す。": EN_BODY,
    "供給網": "Supply chains",
}


def test_new_translation_stays_a_draft_until_its_translator_publishes(
    story, en, admin_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(story, en, admin_user)
    en_page = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    assert not en_page.live
    assert client.get(f"/api/v2/pages/{en_page.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{story.pk}/").json()["translations"] == []

    translate_strings(translation, ENGLISH)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=admin_user, publish=True)
    en_page.refresh_from_db()
    assert en_page.live and en_page.title == "Tech alliance"
    data = client.get(f"/api/v2/pages/{en_page.pk}/").json()
    assert data["body"][0]["value"] == f"<p>{EN_BODY}</p>"
    assert data["sources"][0]["publisher"] == "The Diplomat"  # synchronised


def test_untranslated_text_cannot_go_live(
    story, en, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(story, en, admin_user)
    translate_strings(translation, {"技術同盟": "Tech alliance"})  # the rest is missing
    with (
        override("en"),
        pytest.raises(ValidationError) as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        translation.save_target(user=admin_user, publish=True)
    assert isinstance(refused.value, PublishingBlocked)
    message = refused.value.messages[0]  # made in the language active when it was raised
    # The editor is told which texts, by field, with the source text.
    assert message.startswith("3 texts are not translated yet: ")
    assert "Summary “米国主導の同盟。”" in message and "Body “供給網”" in message
    assert not ArticlePage.objects.get(translation_key=story.translation_key, locale=en).live


def test_opting_in_allows_publishing_untranslated(
    story, en, admin_user, prism_settings, django_capture_on_commit_callbacks
):
    prism_settings(PUBLISH_UNTRANSLATED=True)
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(story, en, admin_user)
        translation.save_target(user=admin_user, publish=True)
    assert ArticlePage.objects.get(translation_key=story.translation_key, locale=en).live


def test_sync_keeps_translations_and_leaves_live_text_until_republished(
    story, en, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(story, en, admin_user)
        translate_strings(translation, ENGLISH)
        translation.save_target(user=admin_user, publish=True)

    # The source changes: a block is added, a source is added, the summary is edited.
    story = ArticlePage.objects.get(pk=story.pk)
    story.summary = "米国主導の同盟が動く。"
    story.body.append(("paragraph", "<p>カザフスタンはデジタル拠点を目指す。</p>"))
    story.sources.add(
        ArticleSource(title="Second", publisher="Reuters", url="https://www.reuters.com/")
    )
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    # Sync, as the admin's "Sync translated pages" does.
    source = TranslationSource.objects.get(object_id=story.translation_key)
    source.update_from_db()
    translation = Translation.objects.get(pk=translation.pk)  # fetch again after update_from_db
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=admin_user, publish=False)

    en_page = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    live_body = [str(child.value) for child in en_page.body]
    assert len(live_body) == 2 and EN_BODY in live_body[0]  # no new, untranslated block
    assert en_page.summary == "A US-led alliance."  # the live text is intact
    draft = en_page.get_latest_revision_as_object()
    assert EN_BODY in str(draft.body[0].value)  # kept
    assert "カザフスタン" in str(draft.body[2].value)  # new, untranslated, so draft only
    assert [s.publisher for s in draft.sources.all()] == ["The Diplomat", "Reuters"]
    untranslated = (
        StringSegment.objects.filter(source=source)
        .annotate_translation(en)
        .filter(translation__isnull=True)
        .count()
    )
    assert untranslated == 2  # the edited summary and the new paragraph

    new_strings = {
        "米国主導の同盟が動く。": "The alliance moves.",
        "カザフスタンはデジタル拠点を目指す。": "Kazakhstan aims to be a digital hub.",
    }
    translate_strings(translation, new_strings)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=admin_user, publish=True)
    en_page.refresh_from_db()
    assert en_page.summary == "The alliance moves."
    assert "Kazakhstan" in str(en_page.body[2].value)


def test_a_string_without_a_translation_stops_the_whole_translation(story, en, admin_user):
    def all_but_the_heading(text):
        return None if text == "供給網" else f"[en] {text}"

    with pytest.raises(MissingTranslation) as missing:
        translate_instance(story, en, all_but_the_heading, user=admin_user)
    # It names the language, where the string is and the string itself.
    message = str(missing.value)
    assert message.startswith("No en translation for 'body.") and "'供給網'" in message
    # Nothing half-translated is kept: no page, and not the strings done before it.
    assert not ArticlePage.objects.filter(translation_key=story.translation_key, locale=en).exists()
    assert not StringTranslation.objects.filter(locale=en).exists()


def test_alternates_in_the_html(story, en, client, admin_user):
    translate_instance(story, en, lambda text: ENGLISH.get(text, text), user=admin_user)
    html = client.get(story.url).content.decode()
    assert '<link rel="alternate" hreflang="ja" href="http://localhost/politics/' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/politics/' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/politics/' in html


def test_translation_live_status_check(settings, prism_settings):
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True
    assert [m.id for m in check_translation_live_status()] == ["prism_news.W002"]
    prism_settings(PUBLISH_UNTRANSLATED=True)
    assert check_translation_live_status() == []
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
    prism_settings(PUBLISH_UNTRANSLATED=False)
    assert check_translation_live_status() == []


def test_admin_hook_explains_a_refused_publication(
    story, en, admin_user, django_capture_on_commit_callbacks
):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from prism_news.admin_publishing import refuse_blocked_publication

    with django_capture_on_commit_callbacks(execute=True):
        submit_for_translation(story, en, admin_user)
    en_page = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    request = RequestFactory().post("/")
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    with override("en"):
        response = refuse_blocked_publication(request, en_page)
        assert response.status_code == 302
        assert "not translated yet" in str(list(request._messages)[0])
    assert refuse_blocked_publication(request, story) is None


@override_settings(
    LANGUAGES=[("ja", "Japanese"), ("en", "English"), ("zh-hans", "Chinese")],
    WAGTAIL_CONTENT_LANGUAGES=[("ja", "Japanese"), ("en", "English"), ("zh-hans", "Chinese")],
)
def test_a_third_language_by_configuration_alone(story, admin_user, client, home):
    zh = Locale.objects.create(language_code="zh-hans")
    chinese_body = "美国主导的技术联盟寻求不依赖中国的供应链" * 45  # 900 characters
    chinese = {
        "技術同盟": "技术联盟",
        "米国主導の同盟。": "美国主导的联盟。",
        "米国主導の技術同盟が中国抜きの供給網を目指す。": chinese_body,
        "供給網": "供应链",
    }
    zh_page = translate_instance(story, zh, lambda text: chinese.get(text, text), user=admin_user)
    assert zh_page.live and zh_page.url.startswith("/zh-hans/politics/")
    # Chinese counts characters at the zh speed (300 a minute): 900 + 12 characters -> 4 minutes.
    assert zh_page.reading_time == 4
    assert client.get(zh_page.url).status_code == 200
    data = client.get(f"/api/v2/pages/{zh_page.pk}/").json()
    assert data["title"] == "技术联盟"
    assert data["language_label"] == "简体中文"
    assert data["reading_time"]["minutes"] == 4
    assert data["category"]["url"] == "/zh-hans/politics/"
    assert {t["locale"] for t in data["translations"]} == {"ja"}
    found = client.get("/api/v2/pages/find/", {"html_path": zh_page.url})
    assert found.status_code == 302 and found["Location"].endswith(f"/{zh_page.pk}/?")


def test_the_translation_editor_names_what_is_untranslated(
    story, en, admin_client, admin_user, prism_settings, django_capture_on_commit_callbacks
):
    """wagtail-localize's own editor, by a logged-in POST: Publish with the slug (on the
    Promote tab) left untranslated is a message naming it, not an error page."""
    from django.urls import reverse
    from wagtail.users.models import UserProfile

    prism_settings(REQUIRE_AI_REVIEW=True)
    story.slug = "gijutsu-doumei"  # a string of its own, which nobody translates
    story.record_review(admin_user)
    story.save_revision().publish()
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        translation = submit_for_translation(story, en, admin_user)
    translate_strings(translation, ENGLISH)  # everything but the slug
    en_page = ArticlePage.objects.get(translation_key=story.translation_key, locale=en)
    edit = reverse("wagtailadmin_pages:edit", args=[en_page.pk])

    response = admin_client.post(edit, {"action": "publish"}, follow=True)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 text is not translated yet: Slug “gijutsu-doumei”" in m for m in messages), (
        messages
    )
    assert not any("submitted" in m for m in messages)  # no workflow with the review task
    assert not ArticlePage.objects.get(pk=en_page.pk).live
    # The translator's work is kept as a draft.
    assert ArticlePage.objects.get(pk=en_page.pk).get_latest_revision_as_object().title == (
        "Tech alliance"
    )
