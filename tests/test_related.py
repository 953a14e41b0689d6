import pytest
from wagtail.models import PageViewRestriction

from prism_news.models import RelatedArticlePin
from prism_news.related import related_articles

from .factories import ArticlePageFactory, CategoryIndexPageFactory


@pytest.fixture
def economy(home):
    return CategoryIndexPageFactory(parent=home, title="Economy", slug="economy")


def make(parent, title, tags=(), **kwargs):
    return ArticlePageFactory(parent=parent, title=title, tags=list(tags), **kwargs)


def test_pins_first_then_shared_tags_then_same_category(category, economy):
    article = make(category, "Pax Silica", tags=["chips", "kazakhstan", "us-china"])
    sibling = make(category, "Sibling, no tags")
    two_tags = make(economy, "Two shared tags", tags=["chips", "us-china"])
    one_tag = make(economy, "One shared tag", tags=["kazakhstan"])
    pinned = make(economy, "Pinned, unrelated")
    make(economy, "Unrelated")
    RelatedArticlePin.objects.create(page=article, article=pinned)

    assert related_articles(article) == [pinned, two_tags, one_tag, sibling]


def test_count_comes_from_settings(category, prism_settings):
    article = make(category, "Main")
    others = [make(category, f"Other {i}") for i in range(6)]
    assert len(related_articles(article)) == 4
    prism_settings(RELATED_COUNT=2)
    assert len(related_articles(article)) == 2
    assert set(related_articles(article)) <= set(others)
    prism_settings(RELATED_COUNT=0)
    assert related_articles(article) == []


def test_never_itself_even_when_pinned(category):
    article = make(category, "Main", tags=["a"])
    RelatedArticlePin.objects.create(page=article, article=article)
    assert article not in related_articles(article)


def test_only_live_public_unexpired_articles(category):
    from django.utils import timezone

    article = make(category, "Main", tags=["a"])
    visible = make(category, "Visible", tags=["a"])
    draft = make(category, "Draft", tags=["a"], live=False)
    expired = make(
        category, "Expired", tags=["a"], expire_at=timezone.now() - timezone.timedelta(1)
    )
    private = make(category, "Private", tags=["a"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for hidden in (draft, expired, private):
        RelatedArticlePin.objects.create(page=article, article=hidden)

    assert related_articles(article) == [visible]


def test_same_locale_only_and_pins_follow_their_translation(category, economy, en):
    article = make(category, "Main", tags=["a"])
    sibling = make(category, "Sibling", tags=["a"])
    # Shares no tag and no category with Main: only the pin can bring it in.
    pinned = make(economy, "Pinned, nothing shared")
    en_article = article.copy_for_translation(en, copy_parents=True)
    en_article.save_revision().publish()
    en_sibling = sibling.copy_for_translation(en)
    en_sibling.save_revision().publish()
    en_pinned = pinned.copy_for_translation(en, copy_parents=True)
    en_pinned.save_revision().publish()
    en_article.refresh_from_db()
    # A pin made (or copied over) pointing at the Japanese page; the resolver follows it
    # to its English translation, and puts it first.
    RelatedArticlePin.objects.create(page=en_article, article=pinned)

    assert related_articles(article) == [sibling]
    assert [p.pk for p in related_articles(en_article)] == [en_pinned.pk, en_sibling.pk]


def test_a_preview_uses_the_pins_in_the_edit_form(category, economy):
    article = make(category, "Main")
    saved = make(economy, "Pinned and saved")
    first = make(economy, "Pinned first in the form")
    second = make(economy, "Pinned second in the form")
    RelatedArticlePin.objects.create(page=article, article=saved)
    # What the edit form holds (a preview): its pins, in its order, not the saved ones.
    article.related_pins = [
        RelatedArticlePin(article=first, sort_order=0),
        RelatedArticlePin(article=second, sort_order=1),
    ]
    assert related_articles(article)[:2] == [first, second]
    assert saved not in related_articles(article)


def test_the_fill_is_a_cache_dependency_of_its_section_and_tags(category):
    from prism_news.caching.dependencies import collecting

    article = make(category, "Main", tags=["chips", "kazakhstan"])
    with collecting() as dependencies:
        related_articles(article)
    tags = {f"tag:{article.locale_id}:{item.tag_id}" for item in article.tagged_items.all()}
    assert len(tags) == 2
    assert tags | {f"section:{category.path}"} <= dependencies.tags


def test_among_equal_sharers_the_newest_published_first_and_count_is_honoured(category, economy):
    from django.utils import timezone

    now = timezone.now()
    article = make(category, "Main", tags=["a"])
    # Made in one order, published in another: publication order counts, not creation.
    recent = make(
        economy, "Published recently", tags=["a"], published_at=now - timezone.timedelta(1)
    )
    same_moment = make(
        economy, "Same moment, made later", tags=["a"], published_at=recent.published_at
    )
    long_ago = make(
        economy,
        "Published long ago, made last",
        tags=["a"],
        published_at=now - timezone.timedelta(10),
    )
    assert related_articles(article) == [same_moment, recent, long_ago]
    assert related_articles(article, count=2) == [same_moment, recent]
    assert related_articles(article, count=1) == [same_moment]
