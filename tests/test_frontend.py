"""The reader-facing HTML: masthead, sections, language switcher, footer, and what
the <head> tells search engines and social networks (escaped for its context)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.utils import translation

from prism_news.models import RelatedArticlePin

from .factories import ArticlePageFactory, CategoryIndexPageFactory


class Document(HTMLParser):
    """The parts of a page these tests read, as a browser's parser sees them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.anchors, self.json_ld = {}, [], [], []
        self.scripts, self._script, self._anchor = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a":
            self._anchor = {**attrs, "text": ""}
            self.anchors.append(self._anchor)
        elif tag == "script":
            self._script = {"type": attrs.get("type"), "text": ""}
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "a":
            self._anchor = None
        elif tag == "script" and self._script is not None:
            if self._script["type"] == "application/ld+json":
                self.json_ld.append(json.loads(self._script["text"]))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data
        elif self._anchor is not None:
            self._anchor["text"] += data

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def link(self, rel):
        return [link["href"] for link in self.links if link.get("rel") == rel]

    def anchor(self, text):
        return [a for a in self.anchors if a["text"].strip() == text]


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode(), Document(response.content.decode())


def test_masthead_sections_languages_and_footer_in_japanese(client, bilingual):
    html, doc = get(client, bilingual["story"])
    assert 'class="prism-brand__logo"' in html
    assert [a["href"] for a in doc.anchor("Prism News")] == ["/"]
    (section,) = doc.anchor("政治")[:1]
    assert section["href"] == "/politics/" and section["aria-current"] == "true"
    assert doc.anchor("トップ")[0]["href"] == "/"
    (english,) = doc.anchor("English")[:1]
    assert english["href"] == "/en/politics/alliance/"
    assert english["hreflang"] == "en" and "title" not in english
    # Under the article (the disclaimer's link) and in the footer.
    assert [a["href"] for a in doc.anchor("AIポリシー")] == ["/ai-policy/"] * 2
    assert [a["href"] for a in doc.anchor("RSSフィード")] == ["/feeds/rss/"]
    assert 'aria-current="true">日本語<' in html
    for label in ("本文へスキップ", "出典", "執筆", "カテゴリー", "編集方針"):
        assert label in html, label


def test_masthead_sections_languages_and_footer_in_english(client, bilingual):
    html, doc = get(client, bilingual["en_story"])
    assert doc.anchor("Politics")[0]["href"] == "/en/politics/"
    assert doc.anchor("Top stories")[0]["href"] == "/en/"
    assert doc.anchor("日本語")[0]["href"] == "/politics/alliance/"
    assert [a["href"] for a in doc.anchor("AI policy")] == ["/en/ai-policy/"] * 2
    assert [a["href"] for a in doc.anchor("Atom feed")] == ["/en/feeds/atom/"]
    for label in ("本文へスキップ", "出典", "執筆", "トップ", "AIポリシー"):
        assert label not in html, label


def test_section_page_marks_itself_and_offers_its_own_feed(client, bilingual):
    html, doc = get(client, bilingual["en_politics"])
    assert doc.anchor("Politics")[0]["aria-current"] == "page"
    feeds = [link["href"] for link in doc.links if link.get("type") == "application/rss+xml"]
    assert feeds == ["/en/politics/feeds/rss/"]


def test_switcher_leads_home_when_there_is_no_translation(client, bilingual):
    _, doc = get(client, bilingual["lonely"])
    (english,) = doc.anchor("English")[:1]
    assert english["href"] == "/en/"
    assert english["title"]  # says why it goes to the home page


def test_labels_follow_the_page_not_whoever_renders_it(bilingual, admin_user):
    """An editor whose admin is in English previews a Japanese page: it stays Japanese."""
    story = bilingual["story"]
    request = RequestFactory().get(story.url, HTTP_HOST="localhost")
    request.user = admin_user
    with translation.override("en"):
        response = story.serve(request)
        html = response.render().content.decode()
    assert '<html lang="ja">' in html
    html = html.split("</head>")[1]  # what a reader sees
    for label in ("本文へスキップ", "出典", "AI分析", "1分で読める", "トップ", "RSSフィード"):
        assert label in html, label
    for label in ("Skip to content", "Source", "AI analysis", "min read", "Top stories"):
        assert label not in html, label


def test_json_ld_is_the_api_json_ld_and_cannot_break_out_of_its_script(client, bilingual):
    story = bilingual["story"]
    story.title = '</script><script>alert(1)</script><!-- "x" & y'
    story.save_revision().publish()
    html, doc = get(client, story)
    assert "<script>alert(1)" not in html
    assert "<!--" not in html
    ld_scripts = [s for s in doc.scripts if s["type"] == "application/ld+json"]
    assert len(ld_scripts) == 1 and len(doc.scripts) == 1  # nothing broke out
    (data,) = doc.json_ld
    assert data["headline"] == story.title
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ja"
    api = client.get(f"/api/v2/pages/{story.pk}/").json()
    assert data == api["json_ld"]


def test_meta_attributes_are_escaped(client, bilingual):
    story = bilingual["story"]
    story.title = "He said \"stop\" <b>now</b> & 'left'"
    story.summary = 'A "quoted" <summary> & more'
    story.hero_image_alt = 'A "bright" <dot>'
    story.save_revision().publish()
    html, doc = get(client, story)
    assert '"stop"' not in html.split("</head>")[0].replace("&quot;stop&quot;", "")
    assert doc.one("og:title") == story.title
    assert doc.one("twitter:title") == story.title
    assert doc.one("og:description") == story.summary
    assert doc.one("description") == story.summary
    assert doc.one("og:image:alt") == story.hero_image_alt
    assert doc.one("twitter:image:alt") == story.hero_image_alt


def test_open_graph_twitter_and_canonical(client, bilingual):
    story, en_story = bilingual["story"], bilingual["en_story"]
    _, doc = get(client, story)
    assert doc.link("canonical") == [story.full_url]
    assert doc.one("og:url") == story.full_url
    assert doc.one("og:type") == "article"
    assert doc.one("og:locale") == "ja_JP"
    assert doc.meta["og:locale:alternate"] == ["en_US"]
    assert doc.one("og:site_name") == "Prism News"
    assert doc.one("article:section") == "政治"
    assert doc.meta["article:tag"] == ["chips"]
    assert doc.one("twitter:card") == "summary_large_image"
    image = doc.one("og:image")
    assert re.fullmatch(r"http://\S+\.fill-1600x900\.\w+", image)
    assert (doc.one("og:image:width"), doc.one("og:image:height")) == ("1600", "900")
    hreflang = {link["hreflang"]: link["href"] for link in doc.links if link.get("hreflang")}
    assert hreflang == {"ja": story.full_url, "en": en_story.full_url, "x-default": story.full_url}
    _, doc = get(client, en_story)
    assert doc.one("og:locale") == "en_US"
    assert doc.one("article:section") == "Politics"


def test_section_and_policy_pages_are_websites_without_article_data(client, bilingual):
    politics = bilingual["politics"]
    politics.intro = "<p>Politics &amp; <b>policy</b>,</p><p>at home &lt;and&gt; abroad.</p>"
    politics.save_revision().publish()
    _, doc = get(client, politics)
    assert doc.one("og:type") == "website"
    assert doc.json_ld == []
    assert doc.one("description") == "Politics & policy, at home <and> abroad."
    _, doc = get(client, bilingual["policy"])
    assert doc.one("og:description") == bilingual["policy"].short_text


def test_each_listing_page_is_its_own_canonical_page(client, home):
    category = CategoryIndexPageFactory(parent=home, slug="politics", page_size=1)
    ArticlePageFactory(parent=category, title="One")
    ArticlePageFactory(parent=category, title="Two")
    doc = Document(client.get("/politics/?page=2").content.decode())
    assert doc.link("canonical") == ["http://localhost/politics/?page=2"]
    doc = Document(client.get("/politics/").content.decode())
    assert doc.link("canonical") == ["http://localhost/politics/"]


def test_related_cards_show_what_a_reader_needs(client, bilingual):
    story = bilingual["story"]
    RelatedArticlePin.objects.create(page=story, article=bilingual["lonely"])
    html, doc = get(client, story)
    related = html.split('id="prism-related-heading"')[1]
    assert 'href="/politics/lonely/"' in related
    for part in ("prism-card__category", ">日本語<", "prism-badge--none", "翻訳のない記事"):
        assert part in related, part


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_home_page_shows_the_lead_story_first(client, bilingual, root, path):
    from wagtail.models import Site

    from home.models import HomePage

    from .api_fixtures import translate

    home = root.add_child(
        instance=HomePage(title="Prism News", slug="prism-home", locale=bilingual["home"].locale)
    )
    translate(home, bilingual["en_home"].locale, title="Prism News (en)")
    Site.objects.filter(is_default_site=True).update(root_page=home)
    section = CategoryIndexPageFactory(parent=home, title="政治", slug="politics")
    first = ArticlePageFactory(parent=section, title="古い記事")
    ArticlePageFactory(parent=section, title="新しい記事")
    translate(section, bilingual["en_home"].locale, title="Politics")
    translate(first, bilingual["en_home"].locale, title="Older story")
    html = client.get(path).content.decode()
    assert html.count("prism-card--featured") == 1
    if path == "/":
        assert html.index("新しい記事") < html.index("古い記事")
        assert "最新記事" in html
    else:
        assert "Older story" in html and "新しい記事" not in html
        assert "Latest articles" in html


def test_preview_of_an_article_not_saved_yet(bilingual, admin_user):
    """The admin previews a new article before it exists in the tree."""
    from prism_news.models import ArticlePage

    politics = bilingual["politics"]
    page = ArticlePage(
        title="未保存の記事",
        slug="unsaved",
        summary="まだ保存していない。",
        body=[("paragraph", "<p>本文。</p>")],
        locale=politics.locale,
        ai_involvement="analysis",
    )
    page.depth = politics.depth + 1
    page.path = politics.get_last_child()._inc_path()
    page.set_url_path(politics)
    request = RequestFactory().get("/admin/", HTTP_HOST="localhost")
    request.user = admin_user
    response = page.make_preview_request(original_request=request)
    html = response.content.decode()
    assert response.status_code == 200
    assert "未保存の記事" in html and "トップ" in html
    assert Document(html).link("canonical") == ["http://localhost/politics/unsaved/"]


# A valid date string, or a valid global date and time string: at most three digits
# of a second's fraction (https://html.spec.whatwg.org/#dates-and-times).
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})"
)


def time_values(html):
    return re.findall(r'<time[^>]*\sdatetime="([^"]*)"', html)


def test_every_time_element_has_a_valid_datetime_with_microseconds_published(client, db):
    """Publishing through the admin stamps times with microseconds (timezone.now()):
    the article page, its card on the home page, its section and a related article."""
    import datetime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from home.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="times"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    section = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
    story = ArticlePageFactory(parent=section, title="Story", slug="story")
    story.published_at = timezone.now() - datetime.timedelta(hours=1, microseconds=123456)
    story.updated_at = story.published_at + datetime.timedelta(minutes=5, microseconds=654321)
    assert story.published_at.microsecond and story.updated_at.microsecond
    story.save_revision().publish()
    other = ArticlePageFactory(parent=section, title="Other", slug="other")
    RelatedArticlePin.objects.create(page=other, article=story)
    other.save_revision().publish()
    expected = timezone.localtime(story.published_at).replace(microsecond=0).isoformat()
    for page in (story, other, section, home):
        html, _doc = get(client, page)
        values = time_values(html)
        assert expected in values, page  # the story: on its page, as a card everywhere else
        for value in values:
            assert HTML_DATETIME.fullmatch(value), (page, value)
