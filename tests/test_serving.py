"""HTML pages under the visibility rule: expiry at read time, aliases, rich-text links."""

import datetime

from django.utils import timezone
from wagtail.models import PageViewRestriction

from .api_fixtures import translate
from .factories import ArticlePageFactory, CategoryIndexPageFactory


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def test_an_expired_page_is_gone_although_still_live(client, category):
    expired = ArticlePageFactory(parent=category, title="Old news", expire_at=ago(minutes=1))
    fresh = ArticlePageFactory(parent=category, title="Fresh news", expire_at=ago(days=-1))
    expired.refresh_from_db()
    assert expired.live  # publish_scheduled has not run
    assert client.get(expired.url).status_code == 404
    assert client.get(fresh.url).status_code == 200
    listing = client.get(category.url).content.decode()
    assert "Fresh news" in listing
    assert "Old news" not in listing


def test_an_expired_category_is_gone_too(client, home):
    section = CategoryIndexPageFactory(parent=home, slug="gone", expire_at=ago(seconds=1))
    assert client.get(section.url).status_code == 404


def test_an_alias_is_served_only_while_its_original_may_be(client, home, category):
    elsewhere = CategoryIndexPageFactory(parent=home, title="Elsewhere", slug="elsewhere")
    original = ArticlePageFactory(parent=category, title="Members only", slug="members-only")
    alias = original.create_alias(parent=elsewhere)
    assert client.get(alias.url).status_code == 200
    PageViewRestriction.objects.create(page=original, restriction_type="login")
    assert client.get(alias.url).status_code == 404
    # The original keeps Wagtail's own handling: a login redirect.
    assert client.get(original.url).status_code == 302


def test_rich_text_links_point_at_visible_pages_in_the_readers_language(client, home, category, en):
    story = ArticlePageFactory(parent=category, title="Story", slug="story")
    draft = ArticlePageFactory(parent=category, title="Draft", slug="draft-only", live=False)
    category.intro = (
        f'<p><a linktype="page" id="{story.pk}">story</a>, '
        f'<a linktype="page" id="{draft.pk}">draft</a></p>'
    )
    category.save_revision().publish()
    category_en = translate(category, en, title="Politics (en)")  # the same intro
    story_en = translate(story, en, title="Story (en)")

    japanese = client.get(category.url).content.decode()
    english = client.get(category_en.url).content.decode()
    assert f'<a href="{story.url}">story</a>' in japanese
    assert f'<a href="{story_en.url}">story</a>' in english
    for html in (japanese, english):
        assert "<a>draft</a>" in html
        assert "draft-only" not in html
