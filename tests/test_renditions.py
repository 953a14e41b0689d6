"""Renditions are made when an article is published, not by its first reader."""

import pytest
from wagtail.images import get_image_model

from prism_news.renditions import article_plan, hero_specs, make_renditions

from .api_fixtures import image_body
from .factories import ArticlePageFactory, ImageFactory, source

Rendition = get_image_model().get_rendition_model()


@pytest.fixture
def article(category, django_capture_on_commit_callbacks):
    page = ArticlePageFactory(
        parent=category, title="Renditions", slug="renditions", live=False,
        hero_image=ImageFactory(), hero_image_alt="A chart",
        body=image_body([ImageFactory(), ImageFactory()]), sources=[source()],
    )  # fmt: skip
    Rendition.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return page


def test_publishing_makes_every_rendition_readers_will_get(article, client, category):
    made = Rendition.objects.count()
    plan = article_plan(article)
    assert made == sum(len(specs) for specs in plan.values()) and len(plan) == 3
    # Readers of every kind of page ask for nothing new.
    for url in (
        article.url,
        category.url,
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=prism_news.ArticlePage",
    ):
        assert client.get(url).status_code == 200, url
        assert Rendition.objects.count() == made, f"{url} made a rendition"


def test_an_uploaded_image_gets_the_hero_renditions(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ImageFactory()
    assert set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True)) == (
        set(hero_specs())
    )


def test_the_task_takes_json_and_skips_missing_images(db):
    image = ImageFactory()
    assert make_renditions.call({str(image.pk): ["width-100"], "999999": ["width-100"]}) == 1
