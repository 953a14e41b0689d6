"""The article's schema.org JSON-LD as validators read it: images the sizes they claim,
``digitalSourceType`` as schema.org expects it, ``dateModified`` moving only when what
readers see changes."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image as PILImage

from prism_news.ai_involvement import IPTC_DIGITAL_SOURCE_TYPE
from prism_news.models import ArticlePage
from prism_news.representations.common import iso

from .api_fixtures import API, translate
from .factories import ArticlePageFactory, ImageFactory, source


def json_ld(client, page):
    response = client.get(f"{API}{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()["json_ld"]


def file_size(url):
    """The width and height of the image file at ``url`` (under MEDIA_URL)."""
    relative = urlsplit(url).path.removeprefix(settings.MEDIA_URL)
    with PILImage.open(Path(settings.MEDIA_ROOT) / relative) as found:
        return found.size


@pytest.mark.parametrize(("width", "height"), [(640, 480), (1000, 1000), (2400, 1350)])
def test_each_image_is_the_size_it_claims(client, category, width, height):
    hero = ImageFactory(file__width=width, file__height=height)
    article = ArticlePageFactory(parent=category, hero_image=hero, hero_image_alt="A chart")
    images = json_ld(client, article)["image"]
    assert images, "the hero is in the JSON-LD"
    for image in images:
        assert image["@type"] == "ImageObject"
        assert file_size(image["url"]) == (image["width"], image["height"])
        assert image["width"] <= width and image["height"] <= height  # never upscaled
    # One per aspect ratio asked for (1:1, 4:3, 16:9): each is a distinct image.
    ratios = {round(image["width"] / image["height"], 1) for image in images}
    assert ratios == {1.0, 1.3, 1.8}


def test_a_small_source_is_reported_at_its_real_size(client, category):
    hero = ImageFactory(file__width=640, file__height=480)
    article = ArticlePageFactory(parent=category, hero_image=hero, hero_image_alt="A chart")
    sizes = [(i["width"], i["height"]) for i in json_ld(client, article)["image"]]
    # fill-1200x1200, fill-1200x900 and fill-1600x900 of a 640 x 480 source.
    assert sizes == [(480, 480), (640, 480), (640, 360)]


@pytest.mark.parametrize(
    ("involvement", "term"),
    [
        ("none", "humanEdits"),
        ("assisted", "compositeWithTrainedAlgorithmicMedia"),
        ("analysis", "compositeWithTrainedAlgorithmicMedia"),
        ("generated", "trainedAlgorithmicMedia"),
    ],
)
def test_digital_source_type_is_a_node_named_by_the_iptc_uri(client, category, involvement, term):
    article = ArticlePageFactory(parent=category, ai_involvement=involvement, sources=[source()])
    assert json_ld(client, article)["digitalSourceType"] == {
        "@id": f"{IPTC_DIGITAL_SOURCE_TYPE}{term}"
    }


# --- dateModified moves only with what readers see


def modified(client, page):
    return json_ld(client, page)["dateModified"]


def test_republishing_the_same_content_does_not_move_date_modified(client, category, clock):
    article = ArticlePageFactory(parent=category, summary="First words.")
    first = json_ld(client, article)
    assert first["dateModified"] == first["datePublished"]  # a first version changes nothing
    for _ in range(2):
        clock.advance(3600)
        ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert modified(client, article) == first["dateModified"]


def test_a_draft_does_not_move_it_and_publishing_a_change_does(client, category, clock):
    article = ArticlePageFactory(parent=category, summary="First words.")
    before = modified(client, article)
    clock.advance(3600)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.summary = "Second words."
    revision = draft.save_revision()
    assert modified(client, article) == before  # saved, not published: readers see the old
    clock.advance(3600)
    type(revision).objects.get(pk=revision.pk).publish()
    after = ArticlePage.objects.get(pk=article.pk)
    assert abs(after.content_changed_at - timezone.now()) < timedelta(seconds=5)
    assert modified(client, article) == iso(after.content_changed_at) != before
    # The same content once more: that revision published again (as reverting to it, or
    # a schedule, does), which was saved before the publish above.
    clock.advance(3600)
    type(revision).objects.get(pk=revision.pk).publish()
    assert modified(client, article) == iso(after.content_changed_at)


def test_the_html_page_says_the_same(client, category, clock):
    article = ArticlePageFactory(parent=category, summary="First words.")
    clock.advance(3600)
    ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    html = client.get(article.url).content.decode()
    published = iso(ArticlePage.objects.get(pk=article.pk).published_at)
    assert f'<meta property="article:modified_time" content="{published}">' in html


def test_a_translation_published_first_changes_nothing(client, category, en, clock):
    article = ArticlePageFactory(parent=category, summary="First words.")
    clock.advance(3600)
    copy = translate(article, en, title="In English", summary="In English.")
    ld = json_ld(client, copy)
    assert ld["dateModified"] == ld["datePublished"] == json_ld(client, article)["datePublished"]
