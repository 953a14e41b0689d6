"""The public images endpoints list only what readers may already see on a page.

v2's (prism_news's own endpoint): the images that visible pages of the request's
site use (hero, body blocks, any image field) and the site's publisher logo; any
other image's detail is a 404. v3's (Wagtail's, shared with the host): without the
images only hidden prism_news pages use; v2's rule with API_V3_CHECK_ALL_ENDPOINTS.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from prism_news.models import NewsroomSettings

from .api_fixtures import image_body, make_articles
from .factories import ArticlePageFactory, CategoryIndexPageFactory, ImageFactory
from .query_budget import count_queries

V2 = "/api/v2/images/"
V3 = "/api/v3/images/"


def article(parent, *, body_images=(), **fields):
    return ArticlePageFactory(
        parent=parent,
        hero_image=fields.pop("hero_image", None) or ImageFactory(),
        hero_image_alt="A chart",
        body=image_body(list(body_images)),
        **fields,
    )


@pytest.fixture
def images(category, home):
    published = article(category, body_images=[ImageFactory(title="published body")])
    draft = article(category, live=False, body_images=[ImageFactory(title="draft body")])
    # An embargoed story: scheduled, so not live until its time comes.
    embargoed = article(category, live=False, go_live_at=timezone.now() + datetime.timedelta(1))
    expired = article(category, expire_at=timezone.now() - datetime.timedelta(1))
    private_section = CategoryIndexPageFactory(parent=home, title="Members", slug="members")
    PageViewRestriction.objects.create(
        page=private_section, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    private = article(private_section, body_images=[ImageFactory(title="private body")])
    shared = ImageFactory(title="on a draft and a published story")
    article(category, live=False, hero_image=shared)
    article(category, hero_image=shared)
    logo = ImageFactory(title="logo")
    newsroom = NewsroomSettings.for_site(Site.objects.get(is_default_site=True))
    newsroom.publisher_logo = logo
    newsroom.save()
    unused = ImageFactory(title="in the library only")
    return {
        "public": {
            published.hero_image_id,
            published.body[-1].value["image"].pk,
            shared.pk,
            logo.pk,
        },
        "draft hero": draft.hero_image_id,
        "draft body": draft.body[-1].value["image"].pk,
        "embargoed hero": embargoed.hero_image_id,
        "expired hero": expired.hero_image_id,
        "private hero": private.hero_image_id,
        "private body": private.body[-1].value["image"].pk,
        "unused": unused.pk,
        "published": published,
    }


def hidden(images):
    return {
        name: pk for name, pk in images.items() if name not in ("public", "unused", "published")
    }


def listed(client, url):
    response = client.get(url, {"limit": 50})
    assert response.status_code == 200, response.content
    data = response.json()
    return {item["id"] for item in data["items"]}


def test_v2_lists_only_images_readers_see_on_a_page(client, images):
    assert listed(client, V2) == images["public"]
    for name, pk in hidden(images).items():
        assert client.get(f"{V2}{pk}/").status_code == 404, name
    assert client.get(f"{V2}{images['unused']}/").status_code == 404
    for pk in images["public"]:
        assert client.get(f"{V2}{pk}/").status_code == 200


def test_v3_leaves_out_what_only_hidden_prism_pages_use(client, images, prism_settings):
    prism_settings(API_V3_CHECK_ALL_ENDPOINTS=False)  # the default (the example site's is on)
    # The host's library stays as Wagtail lists it (an unused image too); prism_news's
    # drafts, embargoed, expired and private stories do not leak through it.
    assert listed(client, V3) == images["public"] | {images["unused"]}
    for name, pk in hidden(images).items():
        assert client.get(f"{V3}{pk}/").status_code == 404, name
    assert client.get(f"{V3}{images['unused']}/").status_code == 200


def test_v3_lists_as_v2_when_the_host_asks(client, images, prism_settings):
    prism_settings(API_V3_CHECK_ALL_ENDPOINTS=True)
    assert listed(client, V3) == images["public"]
    for pk in [*hidden(images).values(), images["unused"]]:
        assert client.get(f"{V3}{pk}/").status_code == 404


def test_publishing_and_unpublishing_change_the_listing_at_once(client, images, category):
    draft = next(
        page.specific
        for page in category.get_children()
        if page.specific.hero_image_id == images["draft hero"]
    )
    draft.save_revision().publish()
    assert {images["draft hero"], images["draft body"]} <= listed(client, V2)
    images["published"].unpublish()
    assert images["published"].hero_image_id not in listed(client, V2)
    assert client.get(f"{V2}{images['published'].hero_image_id}/").status_code == 404


@pytest.mark.parametrize("v3_checks_all", [False, True])
def test_a_published_story_s_draft_images_stay_hidden(
    client, images, prism_settings, v3_checks_all
):
    prism_settings(API_V3_CHECK_ALL_ENDPOINTS=v3_checks_all)
    published = images["published"]
    new_hero = ImageFactory(title="not published yet")
    published.hero_image = new_hero
    published.save_revision()  # a draft: the live row keeps the old hero
    assert new_hero.pk not in listed(client, V2)
    assert client.get(f"{V2}{new_hero.pk}/").status_code == 404
    # v3, with the host's library listed as Wagtail lists it: not the draft's new hero.
    assert new_hero.pk not in listed(client, V3)
    assert client.get(f"{V3}{new_hero.pk}/").status_code == 404
    published.save_revision().publish()
    assert new_hero.pk in listed(client, V2) and new_hero.pk in listed(client, V3)


@pytest.mark.parametrize("api", [V2, V3])
def test_image_listings_do_not_grow_with_page_size(client, category, api, prism_settings):
    prism_settings(API_V3_CHECK_ALL_ENDPOINTS=True)
    make_articles(category, 12, body_images=1)
    at_2 = count_queries(client, f"{api}?limit=2")
    at_20 = count_queries(client, f"{api}?limit=20")
    assert at_2 == at_20
    assert at_20 <= 10  # 10 on v2, 8 on v3 (Wagtail 8.0, PostgreSQL and SQLite alike)
