"""What the publishing gate keeps: refusals in page history (rebuilt from stored data,
in the reader's language), and the digest that tells a content change from bookkeeping."""

from django.utils.translation import override
from wagtail.models import PageLogEntry

from prism_news.publish_gate import (
    REFUSED_ACTION,
    Blocker,
    live_content_digest,
    report_refusal,
)

UNTRANSLATED = Blocker(
    Blocker.UNTRANSLATED,
    fields=(("slug", "gijutsu-doumei"), ("summary", "米国主導の同盟。")),
    model="prism_news.ArticlePage",
)


def test_a_blocker_survives_its_round_trip_through_the_log():
    data = UNTRANSLATED.as_data()
    assert data == {
        "code": "untranslated",
        "fields": [["slug", "gijutsu-doumei"], ["summary", "米国主導の同盟。"]],
        "model": "prism_news.ArticlePage",
    }
    assert Blocker.from_data(data) == UNTRANSLATED
    with override("en"):
        assert str(Blocker.from_data(data)) == (
            "2 texts are not translated yet: Slug “gijutsu-doumei”, Summary “米国主導の同盟。”. "
            "Translate them before publishing."
        )


def test_stored_blockers_that_are_damaged_or_old_still_read():
    # Entries that are not (field, text) pairs are left out; missing keys default.
    data = {"code": "untranslated", "fields": [["slug", "x"], ["broken"], ["a", "b", "c"]]}
    assert Blocker.from_data(data) == Blocker("untranslated", fields=(("slug", "x"),))
    assert Blocker.from_data({}) == Blocker("")
    assert Blocker.from_data({"code": "needs_review"}) == Blocker(Blocker.NEEDS_REVIEW)


def test_page_history_says_why_a_publication_was_refused(category, admin_user):
    from .factories import ArticlePageFactory

    article = ArticlePageFactory(parent=category, live=False)
    revision = article.save_revision()
    report_refusal(article, revision, [UNTRANSLATED], user=admin_user)
    report_refusal(article, revision, [Blocker(Blocker.NEEDS_REVIEW)], scheduled=True)
    now, scheduled = PageLogEntry.objects.filter(page=article, action=REFUSED_ACTION).order_by("pk")
    assert now.user == admin_user and now.revision == revision
    with override("en"):
        assert str(now.message) == (
            "Publication refused: 2 texts are not translated yet: Slug “gijutsu-doumei”, "
            "Summary “米国主導の同盟。”. Translate them before publishing."
        )
        assert str(scheduled.message).startswith(
            "Scheduled publication refused: AI content needs an approved human review"
        )


def test_the_digest_of_a_page_without_a_fingerprint_follows_its_content(category):
    # A category has no review fingerprint: its title, slug and translatable fields count.
    before = live_content_digest(category)
    assert live_content_digest(category) == before
    category.page_size = 50  # not translatable: bookkeeping for the gate
    category.show_in_menus = not category.show_in_menus
    assert live_content_digest(category) == before
    for name, value in [("title", "Politik"), ("slug", "politik"), ("intro", "<p>New</p>")]:
        original = getattr(category, name)
        setattr(category, name, value)
        assert live_content_digest(category) != before, name
        setattr(category, name, original)
        assert live_content_digest(category) == before, name


def test_a_live_article_saved_unchanged_is_not_refused_but_a_change_is(category, prism_settings):
    import pytest

    from prism_news.models import ArticlePage
    from prism_news.publish_gate import PublishingBlocked

    from .factories import ArticlePageFactory, source

    # Live and unreviewed from before the policy was turned on.
    article = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    prism_settings(REQUIRE_AI_REVIEW=True)
    article = ArticlePage.objects.get(pk=article.pk)
    article.save()  # what Wagtail does on a move or a URL change: the same content
    article.summary = "A new claim."
    with pytest.raises(PublishingBlocked):
        article.save()
    assert ArticlePage.objects.get(pk=article.pk).summary != "A new claim."
    # What the review vouches for counts, translatable text or not (the AI facts).
    article = ArticlePage.objects.get(pk=article.pk)
    article.ai_involvement = "generated"
    with pytest.raises(PublishingBlocked):
        article.save()
