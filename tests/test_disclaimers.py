import pytest

from prism_news.caching.dependencies import collecting
from prism_news.disclaimers import localized_disclaimer
from prism_news.models import NewsroomDefaultDisclaimer, NewsroomSettings

from .factories import ArticlePageFactory, DisclaimerPageFactory, source


@pytest.fixture
def ai_policy(home):
    policy = DisclaimerPageFactory(parent=home, slug="ai-policy")
    settings = NewsroomSettings.for_site(home.get_site())
    NewsroomDefaultDisclaimer.objects.create(settings=settings, kind="ai", disclaimer=policy)
    return policy


def test_ai_article_gets_the_site_default(category, ai_policy):
    article = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    assert article.resolved_disclaimer == ai_policy


def test_article_without_ai_gets_none(category, ai_policy):
    article = ArticlePageFactory(parent=category)
    assert article.resolved_disclaimer is None


def test_explicit_choice_wins(category, home, ai_policy):
    corrections = DisclaimerPageFactory(parent=home, slug="corrections", kind="corrections")
    article = ArticlePageFactory(parent=category, disclaimer=corrections)
    assert article.resolved_disclaimer == corrections


def test_default_follows_the_article_locale(category, ai_policy, en):
    en_policy = ai_policy.copy_for_translation(en, copy_parents=True)
    en_policy.title = "AI content policy (English)"
    en_policy.save_revision().publish()
    article = ArticlePageFactory(parent=category, ai_involvement="generated", sources=[source()])
    en_article = article.copy_for_translation(en, copy_parents=True)
    en_article.save_revision().publish()
    en_article.refresh_from_db()

    assert article.resolved_disclaimer == ai_policy
    assert en_article.resolved_disclaimer.pk == en_policy.pk


def test_unpublished_disclaimer_is_never_shown(category, ai_policy):
    ai_policy.unpublish()
    article = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    assert article.resolved_disclaimer is None


def test_without_a_translation_the_disclaimer_itself_is_shown(category, ai_policy, en):
    # An English article whose disclaimer has no English version yet: the Japanese
    # one beats none.
    article = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    en_article = article.copy_for_translation(en, copy_parents=True)
    en_article.save_revision().publish()
    en_article.refresh_from_db()
    assert en_article.resolved_disclaimer.pk == ai_policy.pk
    # Another page's translation is never the fallback.
    other = DisclaimerPageFactory(parent=ai_policy.get_parent(), slug="corrections")
    en_other = other.copy_for_translation(en, copy_parents=True)
    en_other.save_revision().publish()
    assert localized_disclaimer(ai_policy.pk, en.pk).pk == ai_policy.pk
    assert localized_disclaimer(other.pk, en.pk).pk == en_other.pk


def test_a_shown_disclaimer_is_a_cache_dependency(category, ai_policy):
    # Responses showing a disclaimer are invalidated with the policy pages ("nav").
    article = ArticlePageFactory(parent=category, ai_involvement="analysis", sources=[source()])
    with collecting() as dependencies:
        assert localized_disclaimer(ai_policy.pk, article.locale_id) == ai_policy
    assert "nav" in dependencies.tags
