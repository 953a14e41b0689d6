"""The rules ArticlePage enforces outside the admin too (code, imports, translations)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from .factories import ArticlePageFactory, ImageFactory, source


def errors_of(page):
    with override("en"):
        with pytest.raises(ValidationError) as caught:
            page.full_clean()
        return {field: [str(m) for m in msgs] for field, msgs in caught.value.message_dict.items()}


def test_ai_involvement_needs_a_source(category):
    article = ArticlePageFactory(parent=category)
    article.ai_involvement = "analysis"
    assert "at least one source" in errors_of(article)["ai_involvement"][0]


@pytest.mark.parametrize("involvement", ["assisted", "analysis", "generated"])
def test_every_ai_level_accepts_an_article_with_a_source(category, involvement):
    article = ArticlePageFactory(parent=category, ai_involvement=involvement, sources=[source()])
    article.full_clean()
    assert article.sources.count() == 1


def test_article_without_ai_needs_no_source(category):
    ArticlePageFactory(parent=category, ai_involvement="none").full_clean()


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "javascript:alert(1)", "file:///etc/passwd", "example.com"]
)
def test_source_urls_must_be_http_or_https(category, url):
    article = ArticlePageFactory(parent=category)
    article.sources = [source(url=url)]
    messages = errors_of(article)["sources"]
    assert url in messages[0] or "example.com" in messages[0]
    assert any("http" in message for message in messages)


def test_source_rule_holds_on_save_revision(category):
    article = ArticlePageFactory(parent=category)
    article.ai_involvement = "generated"
    with pytest.raises(ValidationError):
        article.save_revision()


def test_summary_length_is_limited_by_setting(category, prism_settings):
    article = ArticlePageFactory(parent=category)
    article.summary = "x" * 301
    assert "300 characters or fewer (it has 301)" in errors_of(article)["summary"][0]
    prism_settings(SUMMARY_MAX_LENGTH=400)
    article.full_clean()


def test_hero_image_needs_alt_text(category):
    article = ArticlePageFactory(parent=category)
    article.hero_image = ImageFactory()
    assert "hero_image_alt" in errors_of(article)
    article.hero_image_alt = "A chart rising to the right"
    article.full_clean()


def test_published_at_is_filled_on_first_publish(category):
    article = ArticlePageFactory(parent=category, live=False)
    assert article.published_at is None
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.published_at == article.first_published_at


@pytest.mark.parametrize("page_size", [0, 101])
def test_category_page_size_is_bounded(category, page_size):
    category.page_size = page_size
    assert "between 1 and 100" in errors_of(category)["page_size"][0]


def test_category_listing_paginates_and_tolerates_bad_page_numbers(category, client):
    category.page_size = 2
    category.save()
    for i in range(5):
        ArticlePageFactory(parent=category, title=f"Story {i}")
    assert len(client.get(category.url).context["articles"]) == 2
    last = client.get(category.url, {"page": "3"}).context["articles"]
    assert [a.title for a in last] == ["Story 0"]
    for bad in ("0", "999", "abc", "1\x00"):
        response = client.get(category.url, {"page": bad})
        assert response.status_code == 200
