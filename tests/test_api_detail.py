"""The article shape of the v2 API, field by field."""

import datetime

from prism_news.models import ArticlePage

from .api_fixtures import API


def detail(client, page):
    response = client.get(f"{API}{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_article_detail_has_the_whole_story(client, newsroom):
    article = newsroom["article"]
    data = detail(client, article)
    assert data["title"] == "Pax Silica"
    assert data["summary"] == "An alliance for chips."
    assert data["url"] == "/politics/pax-silica/"
    assert data["meta"]["locale"] == "ja"
    assert data["meta"]["parent"]["id"] == article.get_parent().pk
    assert data["reading_time"] == {"minutes": 1, "label": "1分で読める"}
    assert data["category"] == {
        "id": article.get_parent().pk,
        "title": "Politics",
        "slug": "politics",
        "url": "/politics/",
    }
    assert data["language_label"] == "日本語"
    assert data["tags"] == ["chips", "kazakhstan", "us-china", "alliances", "eurasia"]
    assert data["authors"] == [
        {
            "id": newsroom["author"].pk,
            "name": "Mari Saeki",
            "role": "Chief Editor",
            "url": "/authors/mari-saeki/",  # the author's page, in the article's language
        }
    ]
    assert data["ai"] == {
        "involvement": "analysis",
        "label": "AI分析",
        "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
        "model": "model-x",
        "reviewed": False,
        "reviewed_by": None,
        "reviewed_at": None,
    }
    assert [s["publisher"] for s in data["sources"]] == ["The Diplomat", "Reuters", "AP"]
    assert data["sources"][0] == {
        "title": "Pax Silica and the new technology order",
        "publisher": "The Diplomat",
        "url": "https://thediplomat.com/",
        "language": "en",
        "published_at": "2026-01-20",
    }
    hero = data["hero_image"]
    assert hero["alt"] == "Glowing nodes" and hero["caption"] == "An alliance"
    assert hero["credit"] == "Prism News"
    assert set(hero["renditions"]) == {"thumbnail", "medium", "large"}
    assert hero["renditions"]["thumbnail"]["width"] == 480
    assert hero["renditions"]["thumbnail"]["url"].startswith("http://testserver/media/images/")
    assert "480w" in hero["srcset"]
    assert data["disclaimer"] == {
        "id": newsroom["policy"].pk,
        "kind": "ai",
        "title": newsroom["policy"].title,
        "short_text": newsroom["policy"].short_text,
        "url": "/ai-policy/",
    }
    assert [card["title"] for card in data["related"]] == ["Other 0", "Other 1", "Other 2"]
    assert data["translations"] == [
        {
            "id": newsroom["en_article"].pk,
            "locale": "en",
            "language_label": "English",
            "title": "Pax Silica (en)",
            "url": "/en/politics/pax-silica/",
        }
    ]


def test_related_items_are_cards(client, newsroom):
    card = detail(client, newsroom["article"])["related"][0]
    other = newsroom["others"][0]
    assert set(card) == {
        "id", "title", "summary", "url", "category", "locale", "language_label",
        "published_at", "reading_time", "ai", "hero_image",
    }  # fmt: skip
    assert card["id"] == other.pk
    assert card["locale"] == "ja" and card["language_label"] == "日本語"
    assert card["category"]["title"] == "Politics"
    assert card["hero_image"]["alt"] == "Other image 0"
    assert set(card["hero_image"]["renditions"]) == {"thumbnail", "medium"}
    assert card["ai"]["label"] == "人による執筆"


def test_body_blocks_in_api_form(client, newsroom):
    body = detail(client, newsroom["article"])["body"]
    by_type = {block["type"]: block["value"] for block in body}
    assert by_type["heading"] == {"text": "Supply chains", "level": 3}
    other = newsroom["others"][0]
    assert by_type["paragraph"] == (
        f'<p>Read <a href="/politics/{other.slug}/">the other story</a> and <b>more</b>.</p>'
    )
    assert by_type["list"] == {"style": "bulleted", "items": ["Japan", "South Korea"]}
    image = by_type["image"]
    assert image["alt"] == "Chart 0"
    assert set(image["renditions"]) == {"thumbnail", "medium", "large"}
    assert all(block["id"] for block in body)


def test_rich_text_links_point_into_the_article_locale(client, newsroom, en):
    from .api_fixtures import translate

    other = newsroom["others"][0]
    translate(other, en, title="Other 0 (en)")
    en_article = newsroom["en_article"]
    paragraph = next(b for b in detail(client, en_article)["body"] if b["type"] == "paragraph")
    assert f'href="/en/politics/{other.slug}/"' in paragraph["value"]


def test_link_to_an_unpublished_page_keeps_its_text_but_no_href(client, newsroom):
    newsroom["others"][0].unpublish()
    paragraph = next(
        b for b in detail(client, newsroom["article"])["body"] if b["type"] == "paragraph"
    )
    assert "<a>the other story</a>" in paragraph["value"]


def test_embed_block_has_url_provider_and_title(client, category):
    from .factories import ArticlePageFactory

    article = ArticlePageFactory(
        parent=category, body=[("embed", "https://video.example.com/watch/1")]
    )
    embed = detail(client, article)["body"][0]["value"]
    assert embed["url"] == "https://video.example.com/watch/1"
    assert embed["provider"] == "Example Video" and embed["title"] == "A test video"
    assert "<iframe" in embed["html"]


def test_english_translation_reads_in_english(client, newsroom):
    data = detail(client, newsroom["en_article"])
    assert data["meta"]["locale"] == "en"
    assert data["reading_time"]["label"] == "1 min read"
    assert data["ai"]["label"] == "AI analysis"
    assert data["language_label"] == "English"
    assert data["disclaimer"]["id"] == newsroom["en_policy"].pk
    assert data["disclaimer"]["url"] == "/en/ai-policy/"
    assert data["translations"][0]["locale"] == "ja"
    assert data["translations"][0]["url"] == "/politics/pax-silica/"
    assert data["category"]["url"] == "/en/politics/"


def test_json_ld_is_a_news_article(client, newsroom):
    article = newsroom["article"]
    ld = detail(client, article)["json_ld"]
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Pax Silica"
    assert ld["description"] == "An alliance for chips."
    assert len(ld["image"]) == 3
    assert all(image["url"].startswith("http://testserver/media/") for image in ld["image"])
    assert [(i["width"], i["height"]) for i in ld["image"]] == [
        (900, 900),
        (1200, 900),
        (1600, 900),
    ]
    published = ArticlePage.objects.get(pk=article.pk).published_at
    assert datetime.datetime.fromisoformat(ld["datePublished"]) == published
    assert "dateModified" in ld
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Mari Saeki",
            "jobTitle": "Chief Editor",
            "url": ld["url"].replace(article.url, "/authors/mari-saeki/"),
        }
    ]
    assert ld["publisher"]["name"] == "Prism News"
    assert ld["publisher"]["logo"]["url"].startswith("http://testserver/media/")
    assert ld["inLanguage"] == "ja"
    assert ld["articleSection"] == "Politics"
    assert ld["keywords"] == ["chips", "kazakhstan", "us-china", "alliances", "eurasia"]
    assert [b["publisher"]["name"] for b in ld["isBasedOn"]] == ["The Diplomat", "Reuters", "AP"]
    assert ld["timeRequired"] == "PT1M"
    assert ld["wordCount"] > 5
    assert ld["digitalSourceType"] == {
        "@id": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    }


def test_category_and_disclaimer_details(client, newsroom, category):
    data = detail(client, category)
    assert data["intro"] == "<p>Reporting and analysis.</p>"
    assert [t["locale"] for t in data["translations"]] == ["en"]
    policy = detail(client, newsroom["policy"])
    assert policy["kind"] == "ai"
    assert policy["short_text"] == newsroom["policy"].short_text
    assert isinstance(policy["body"], list)
