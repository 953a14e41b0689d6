"""RSS 2.0 and Atom feeds: valid, complete, escaped, visible articles only, conditional GET."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .api_fixtures import make_articles
from .factories import ArticlePageFactory, CategoryIndexPageFactory
from .query_budget import count_queries

FEEDS = [
    ("/feeds/rss/", "ja"),
    ("/feeds/atom/", "ja"),
    ("/en/feeds/rss/", "en"),
    ("/en/feeds/atom/", "en"),
    ("/politics/feeds/rss/", "ja"),
    ("/politics/feeds/atom/", "ja"),
    ("/en/politics/feeds/rss/", "en"),
    ("/en/politics/feeds/atom/", "en"),
]


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


@pytest.mark.parametrize(("url", "language"), FEEDS)
def test_feed_is_valid_and_each_item_is_complete(client, bilingual, url, language):
    response, feed = parse(client, url)
    kind = "rss" if "/rss/" in url else "atom"
    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert feed.feed.language == language
    story = bilingual["story"] if language == "ja" else bilingual["en_story"]
    titles = [entry.title for entry in feed.entries]
    expected = ["同盟の記事", "翻訳のない記事"] if language == "ja" else ["The alliance story"]
    assert sorted(titles) == sorted(expected)
    entry = feed.entries[titles.index(story.title)]
    assert entry.link == story.full_url
    assert story.summary in entry.summary
    assert entry.published_parsed is not None
    assert entry.author == "佐伯 真理"
    terms = {tag.term for tag in entry.tags}
    section = "政治" if language == "ja" else "Politics"
    label = "AI分析" if language == "ja" else "AI analysis"
    assert section in terms
    assert "compositeWithTrainedAlgorithmicMedia" in terms
    if kind == "rss":
        assert label in terms
        assert entry.source.href == "https://thediplomat.com/"
        assert entry.source.title == "The Diplomat"
    else:
        (ai,) = [tag for tag in entry.tags if (tag.scheme or "").startswith("http://cv.iptc")]
        assert ai.label == label
        via = [link for link in entry.links if link.rel == "via"]
        assert [link.href for link in via] == ["https://thediplomat.com/"]
        assert via[0].title == "The Diplomat: Pax Silica report"
    # The readable summary carries the badge and the source link too.
    assert label in entry.summary and 'href="https://thediplomat.com/"' in entry.summary


def test_feed_links_are_absolute_and_name_the_feed(client, bilingual):
    en_politics = bilingual["en_politics"]
    en_politics.intro = "<p>Policy &amp; <b>power</b>.</p>"
    en_politics.save_revision().publish()
    _, feed = parse(client, "/en/politics/feeds/atom/")
    assert feed.feed.title == "Prism News: Politics"
    assert feed.feed.subtitle == "Policy & power."
    assert feed.feed.link == bilingual["en_politics"].full_url
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["http://localhost/en/politics/feeds/atom/"]


def test_labels_follow_the_feed_language_not_the_reader(client, bilingual):
    _, feed = parse(client, "/feeds/rss/", HTTP_ACCEPT_LANGUAGE="en")
    assert feed.feed.description == "Prism Newsの最新記事"
    assert all("AI analysis" not in entry.summary for entry in feed.entries)
    _, feed = parse(client, "/en/feeds/rss/", HTTP_ACCEPT_LANGUAGE="ja")
    assert feed.feed.description == "The latest articles from Prism News"


def test_newest_articles_first_and_at_most_feed_length(client, home, prism_settings):
    category = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
    start = timezone.now() - datetime.timedelta(days=60)
    for day in range(52):
        ArticlePageFactory(
            parent=category,
            title=f"Day {day}",
            published_at=start + datetime.timedelta(days=day),
        )
    _, feed = parse(client, "/feeds/rss/")
    assert [e.title for e in feed.entries] == [f"Day {day}" for day in range(51, 1, -1)]
    prism_settings(FEED_LENGTH=3)
    _, feed = parse(client, "/politics/feeds/atom/")
    assert [e.title for e in feed.entries] == ["Day 51", "Day 50", "Day 49"]


def test_titles_and_summaries_are_escaped(client, home):
    category = CategoryIndexPageFactory(parent=home, title="A & B <C>", slug="politics")
    title = "Tom & Jerry <script>alert(1)</script> ]]> end"
    summary = "a < b && c ]]> d"
    ArticlePageFactory(parent=category, title=title, summary=summary)
    for url in ("/feeds/rss/", "/feeds/atom/"):
        response, feed = parse(client, url)
        assert b"]]>" not in response.content
        assert b"<script>" not in response.content
        assert feed.entries[0].title == title
        root = ET.fromstring(response.content)  # well-formed XML
        texts = [element.text for element in root.iter() if element.text]
        assert title in texts
        assert "A & B <C>" in {t.term for t in feed.entries[0].tags}
        # The summary is HTML: its text is escaped once more inside it.
        assert "a &lt; b &amp;&amp; c ]]&gt; d" in feed.entries[0].summary


@pytest.fixture
def hidden_articles(bilingual):
    politics = bilingual["politics"]
    ArticlePageFactory(parent=politics, title="Hidden draft", live=False)
    scheduled = ArticlePageFactory(parent=politics, title="Hidden scheduled", live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    ArticlePageFactory(
        parent=politics,
        title="Hidden expired",
        expire_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    private = ArticlePageFactory(parent=politics, title="Hidden private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    members = CategoryIndexPageFactory(parent=bilingual["home"], title="Members", slug="members")
    ArticlePageFactory(parent=members, title="Hidden in a private section")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    PageViewRestriction.objects.create(page=bilingual["en_story"], restriction_type="login")
    return ["Hidden", bilingual["en_story"].title]


@pytest.mark.parametrize(("url", "language"), FEEDS)
def test_hidden_articles_never_appear(client, hidden_articles, url, language):
    response, feed = parse(client, url)
    for marker in hidden_articles:
        assert marker not in response.content.decode()
    if language == "ja":
        assert {e.title for e in feed.entries} == {"同盟の記事", "翻訳のない記事"}


def test_hidden_or_unknown_scope_is_404(client, hidden_articles, bilingual):
    assert client.get("/members/feeds/rss/").status_code == 404
    assert client.get("/nowhere/feeds/rss/").status_code == 404
    assert client.get("/politics/alliance/feeds/rss/").status_code == 404  # not a section
    bilingual["en_home"].unpublish()
    assert client.get("/en/feeds/rss/").status_code == 404


def test_conditional_get(client, bilingual):
    first = client.get("/feeds/atom/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/atom/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # The RSS feed is another document with its own validator.
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    ArticlePageFactory(parent=bilingual["politics"], title="Breaking")
    changed = client.get("/feeds/atom/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Breaking" in changed.content


def test_queries_do_not_grow_with_the_number_of_items(client, home):
    few = CategoryIndexPageFactory(parent=home, title="Few", slug="few")
    many = CategoryIndexPageFactory(parent=home, title="Many", slug="many")
    make_articles(few, 2, prefix="Few")
    make_articles(many, 8, prefix="Many")
    assert count_queries(client, "/few/feeds/rss/") == count_queries(client, "/many/feeds/rss/")
    assert count_queries(client, "/few/feeds/atom/") == count_queries(client, "/many/feeds/atom/")
