"""Author pages (``/authors/<slug>/``, ``/en/authors/<slug>/``) and their feeds: one per
author and language, the author's visible articles newest first in pages, 404s for what
is not there, the slug shared by every translation (wagtail-localize), the author's URL
in the article's JSON-LD and in the API (v2 and v3), and the response cache, invalidated
exactly when an article of the author's or the author changes."""

import datetime
import re

import feedparser
import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from prism_news.models import ArticlePage, ArticlePageAuthor, Author
from prism_news.translation import translate_instance

from .factories import ArticlePageFactory, AuthorFactory, ImageFactory
from .query_budget import count_queries
from .test_frontend import Document

CACHE_ON = {"RESPONSE_CACHE": True, "CACHE_MAX_AGE": 30, "CACHE_S_MAXAGE": 600}
ENGLISH = {
    "佐伯 真理": "Mari Saeki",
    "編集長": "Chief Editor",
    "国際報道の編集者。": "An editor.",
    # Were the slug a translated text, this is what the English version would get.
    "mari-saeki": "mari-saeki-en",
    "saeki": "saeki-en",
}


def english(text):
    return ENGLISH.get(text, text)


def byline(article, author):
    ArticlePageAuthor.objects.create(page=article, author=author)
    return article


def story(parent, title, author=None, **extra):
    article = ArticlePageFactory(parent=parent, title=title, **extra)
    if author is not None:
        byline(article, author)
        article.save_revision().publish()  # the byline as readers get it
    return ArticlePage.objects.get(pk=article.pk)


def main_part(response):
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def titles(response):
    return re.findall(r'class="prism-card__title"><a href="[^"]*">([^<]*)</a>', main_part(response))


@pytest.fixture
def desk(bilingual, en):
    """The bilingual newsroom, its author (slug "mari-saeki") translated into English
    through wagtail-localize, and a second author with a story of their own."""
    author = bilingual["author"]
    author.slug = "mari-saeki"
    author.bio = "国際報道の編集者。"
    author.save()
    en_author = translate_instance(author, en, english)
    other = AuthorFactory(name="Other Writer", slug="other-writer")
    theirs = story(bilingual["politics"], "他の人の記事", other)
    return {**bilingual, "en_author": en_author, "other": other, "theirs": theirs}


# --- The page in each language


def test_a_page_per_language_with_the_authors_articles(client, desk):
    ja = client.get("/authors/mari-saeki/")
    assert ja.status_code == 200
    assert titles(ja) == ["同盟の記事"]  # not the other author's, not the unsigned one
    main = main_part(ja)
    assert '<h1 class="prism-page-header__title">佐伯 真理</h1>' in main
    assert "編集長" in main and "国際報道の編集者。" in main
    en = client.get("/en/authors/mari-saeki/")
    assert en.status_code == 200
    assert titles(en) == ["The alliance story"]  # its byline names the ja author
    main = main_part(en)
    assert '<h1 class="prism-page-header__title">Mari Saeki</h1>' in main
    assert "Chief Editor" in main and "An editor." in main
    assert 'lang="ja"' not in main.split("prism-listing")[0]  # the author in English

    document = Document(en.content.decode())
    assert document.link("canonical") == ["http://testserver/en/authors/mari-saeki/"]
    alternates = {
        link["hreflang"]: link["href"]
        for link in Document(en.content.decode()).links
        if link.get("rel") == "alternate" and "hreflang" in link
    }
    assert alternates == {
        "en": "http://testserver/en/authors/mari-saeki/",
        "ja": "http://testserver/authors/mari-saeki/",
        "x-default": "http://testserver/authors/mari-saeki/",
    }
    html = en.content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/en/authors/mari-saeki/feeds/rss/"' in html
    assert 'href="/en/authors/mari-saeki/feeds/atom/"' in html
    # The language switcher leads to the same author.
    assert 'href="/authors/mari-saeki/" lang="ja" hreflang="ja"' in html
    profile = Document(html).json_ld[0]
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "Mari Saeki",
        "jobTitle": "Chief Editor",
        "description": "An editor.",
        "url": "http://testserver/en/authors/mari-saeki/",
    }


def test_a_photo_when_the_author_has_one(client, desk):
    author = desk["author"]
    author.image = ImageFactory()
    author.save()
    html = main_part(client.get("/authors/mari-saeki/"))
    assert re.search(r'<img class="prism-author__photo" src="[^"]+fill-240x240[^"]*"', html)


def test_an_author_without_a_translation_shows_as_written_where_they_have_articles(
    client, bilingual
):
    author = bilingual["author"]  # ja only; the en story's byline names it
    html = client.get(f"/en/authors/{author.slug}/")
    assert html.status_code == 200
    assert titles(html) == ["The alliance story"]
    assert '<header class="prism-page-header prism-author" lang="ja">' in main_part(html)
    lonely = AuthorFactory(name="Nobody Here")  # ja only, no article in English
    assert client.get(f"/authors/{lonely.slug}/").status_code == 200  # their own language
    assert client.get(f"/en/authors/{lonely.slug}/").status_code == 404


def test_pages_newest_first_with_prev_and_next(client, desk, prism_settings):
    prism_settings(AUTHOR_PAGE_SIZE=2)
    now = timezone.now()
    for days in (1, 2, 3):
        story(
            desk["politics"],
            f"古い記事{days}",
            desk["author"],
            published_at=now - datetime.timedelta(days=days),
        )
    first = client.get("/authors/mari-saeki/")
    assert titles(first) == ["同盟の記事", "古い記事1"]
    html = first.content.decode()
    assert '<link rel="next" href="/authors/mari-saeki/?page=2">' in html
    assert 'rel="prev"' not in html
    second = client.get("/authors/mari-saeki/?page=2")
    assert titles(second) == ["古い記事2", "古い記事3"]
    html = second.content.decode()
    assert '<link rel="prev" href="/authors/mari-saeki/">' in html
    assert 'rel="next"' not in html
    assert "2ページ中2ページ" in html
    assert Document(html).link("canonical") == ["http://testserver/authors/mari-saeki/?page=2"]


def test_the_same_number_of_queries_at_two_page_sizes(client, desk, prism_settings):
    for i in range(8):
        story(
            desk["politics"],
            f"記事{i}",
            desk["author"],
            hero_image=ImageFactory(),
            hero_image_alt="図",
        )
    counts = {}
    for size in (2, 8):
        prism_settings(AUTHOR_PAGE_SIZE=size)
        counts[size] = count_queries(client, "/authors/mari-saeki/")
    assert counts[2] == counts[8], counts


# --- What is not listed, and what is not there


def test_only_what_readers_may_see_and_nothing_dated_ahead(client, desk):
    politics, author = desk["politics"], desk["author"]
    draft = ArticlePageFactory(parent=politics, title="下書き", live=False)
    byline(draft, author)
    ahead = story(
        politics, "未来の記事", author, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    private = story(politics, "非公開の記事", author)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    story(
        politics, "期限切れの記事", author, expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get("/authors/mari-saeki/")
    assert titles(response) == ["同盟の記事"]
    assert client.get(ahead.url).status_code == 200  # read at its URL, not listed
    for kind in ("rss", "atom"):
        feed = feedparser.parse(client.get(f"/authors/mari-saeki/feeds/{kind}/").content)
        assert [entry.title for entry in feed.entries] == ["同盟の記事"]


@pytest.mark.parametrize(
    "path",
    [
        "/authors/nobody/",
        "/en/authors/nobody/",
        "/authors/nobody/feeds/rss/",
        "/authors/mari-saeki/?page=0",
        "/authors/mari-saeki/?page=2",
        "/authors/mari-saeki/?page=abc",
        "/authors/mari-saeki/?page=1%00",
        "/authors/mari-saeki/?page=99999999999999999999",
        "/authors/mari-saeki/?page=-1",
    ],
)
def test_a_404_for_what_is_not_there(client, desk, path):
    assert client.get(path).status_code == 404


# --- Feeds


@pytest.mark.parametrize(
    ("kind", "prefix"), [("rss", ""), ("atom", ""), ("rss", "/en"), ("atom", "/en")]
)
def test_an_authors_feed_per_language(client, desk, kind, prefix):
    response = client.get(f"{prefix}/authors/mari-saeki/feeds/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    language = "en" if prefix else "ja"
    assert feed.feed.language == language
    name = "Mari Saeki" if prefix else "佐伯 真理"
    assert feed.feed.title == f"Prism News: {name}"
    assert feed.feed.link == f"http://localhost{prefix}/authors/mari-saeki/"
    story = desk["en_story"] if prefix else desk["story"]
    assert [entry.title for entry in feed.entries] == [story.title]
    assert feed.entries[0].link == story.full_url


# --- The author's URL in the article's JSON-LD and in the API


def test_the_articles_json_ld_names_the_authors_page(client, desk):
    for article, prefix in ((desk["story"], ""), (desk["en_story"], "/en")):
        html = client.get(article.url).content.decode()
        data = Document(html).json_ld[0]
        (person,) = data["author"]
        assert person["url"] == f"http://localhost{prefix}/authors/mari-saeki/"
        assert person["name"] == ("佐伯 真理" if not prefix else "Mari Saeki")
        # The byline links to the same page.
        assert f'<a href="{prefix}/authors/mari-saeki/">{person["name"]}</a>' in html


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_api_gives_the_authors_url(client, desk, version):
    for article, prefix in ((desk["story"], ""), (desk["en_story"], "/en")):
        data = client.get(f"/api/{version}/pages/{article.pk}/").json()
        (author,) = data["authors"]
        # As the API gives the article's own URL (meta.html_url is absolute).
        assert author["url"].endswith(f"{prefix}/authors/mari-saeki/")
        expected = data["url"].replace(article.url, f"{prefix}/authors/mari-saeki/")
        assert author["url"] == expected


def test_the_v3_schema_types_the_authors_url(client, desk):
    schema = client.get("/api/v3/openapi.json").json()
    found = [
        definition
        for name, definition in schema["components"]["schemas"].items()
        if name.startswith("Author") and "role" in definition.get("properties", {})
    ]
    assert found and all("url" in definition["properties"] for definition in found)


# --- The slug


def test_the_slug_is_made_from_the_name_and_never_taken_twice(db):
    first = AuthorFactory(name="佐伯 真理")
    assert first.slug == "佐伯-真理"
    second = AuthorFactory(name="佐伯 真理")
    assert second.slug == "佐伯-真理-2"
    assert AuthorFactory(name="!!!").slug == "author"
    second.slug = first.slug
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "slug" in error.value.message_dict


def test_translations_share_the_slug_through_wagtail_localize(client, desk, en):
    author, en_author = desk["author"], desk["en_author"]
    assert en_author.slug == author.slug == "mari-saeki"
    assert en_author.translation_key == author.translation_key
    en_author.full_clean()  # a translation may have the same slug
    author.slug = "saeki"
    author.save()
    translate_instance(author, en, english)  # synchronised again
    assert Author.objects.get(pk=en_author.pk).slug == "saeki"
    assert client.get("/en/authors/saeki/").status_code == 200
    assert client.get("/en/authors/mari-saeki/").status_code == 404


def test_the_migration_fills_one_slug_per_author(db, en):
    from importlib import import_module

    fill_slugs = import_module("prism_news.migrations.0010_author_slug").fill_slugs
    a = AuthorFactory(name="佐伯 真理")
    a_en = a.copy_for_translation(en)
    a_en.name = "Mari Saeki"
    a_en.save()
    b = AuthorFactory(name="佐伯 真理")
    for author in Author.objects.all():  # as before the field: none has its slug
        Author.objects.filter(pk=author.pk).update(slug=f"before-{author.pk}")
    fill_slugs(django_apps, None)
    slugs = {x.pk: x.slug for x in Author.objects.all()}
    assert slugs[a.pk] == slugs[a_en.pk] == "佐伯-真理"
    assert slugs[b.pk] == "佐伯-真理-2"


# --- The response cache


@pytest.fixture
def cached(desk, prism_settings):
    prism_settings(**CACHE_ON)
    return desk


URLS = [
    "/authors/mari-saeki/",
    "/en/authors/mari-saeki/",
    "/authors/mari-saeki/feeds/rss/",
    "/en/authors/mari-saeki/feeds/atom/",
]
OTHER = "/authors/other-writer/"


def warm(client):
    for url in [*URLS, OTHER]:
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Prism-Cache"] == "hit", url


def cache_states(client):
    return {url: client.get(url)["X-Prism-Cache"] for url in [*URLS, OTHER]}


def test_a_publish_of_one_of_their_articles_invalidates_their_pages_alone(
    client, cached, django_capture_on_commit_callbacks
):
    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        story(cached["politics"], "新しい記事", cached["author"])
    states = cache_states(client)
    assert [url for url in URLS if states[url] == "hit"] == []
    assert states[OTHER] == "hit"  # another author's page stays
    assert "新しい記事" in titles(client.get(URLS[0]))

    warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        story(cached["politics"], "誰でもない記事")  # an article without them
    assert set(cache_states(client).values()) == {"hit"}


def test_an_article_leaving_their_byline_invalidates_their_pages(
    client, cached, prism_settings, django_capture_on_commit_callbacks
):
    prism_settings(AUTHOR_PAGE_SIZE=1)
    theirs = ArticlePage.objects.get(pk=cached["theirs"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        byline(theirs, cached["author"])
        theirs.save_revision().publish()
    # Page 2 shows the older story alone: only the byline's change can tell it.
    second = "/authors/mari-saeki/?page=2"
    assert titles(client.get(second)) == ["同盟の記事"]
    assert client.get(second)["X-Prism-Cache"] == "hit"
    theirs = ArticlePage.objects.get(pk=theirs.pk)
    theirs.article_authors = [ArticlePageAuthor(author=cached["other"])]
    with django_capture_on_commit_callbacks(execute=True):
        theirs.save_revision().publish()
    assert client.get(second).status_code == 404  # one page left
    assert titles(client.get(URLS[0])) == ["同盟の記事"]


def test_an_unpublish_and_a_restriction_invalidate_their_pages(
    client, cached, prism_settings, django_capture_on_commit_callbacks
):
    prism_settings(AUTHOR_PAGE_SIZE=1)
    with django_capture_on_commit_callbacks(execute=True):
        newer = story(cached["politics"], "新しい記事", cached["author"])
    warm(client)
    # Page 2 shows the older story alone: the newer one's going shifts it all the same.
    second = "/authors/mari-saeki/?page=2"
    assert titles(client.get(second)) == ["同盟の記事"]
    assert client.get(second)["X-Prism-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=newer.pk).unpublish()
    assert cache_states(client)[URLS[0]] != "hit"
    assert client.get(second).status_code == 404
    assert titles(client.get(URLS[0])) == ["同盟の記事"]
    # A restriction lifted shows an article no author page showed: every one is made anew.
    en_story = Page.objects.get(pk=cached["en_story"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=en_story, restriction_type="password", password="x"
        )
    warm(client)
    assert titles(client.get("/en/authors/mari-saeki/")) == []
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert cache_states(client)["/en/authors/mari-saeki/"] != "hit"
    assert titles(client.get("/en/authors/mari-saeki/")) == ["The alliance story"]


def test_an_edit_of_the_author_invalidates_their_pages_alone(
    client, cached, django_capture_on_commit_callbacks
):
    warm(client)
    en_author = Author.objects.get(pk=cached["en_author"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        en_author.role = "Editor in Chief"
        en_author.save()
    states = cache_states(client)
    assert [url for url in URLS if states[url] == "hit"] == []
    assert states[OTHER] == "hit"
    assert "Editor in Chief" in main_part(client.get("/en/authors/mari-saeki/"))
