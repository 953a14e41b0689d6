"""HTML pages that show cards make the same number of queries however many cards."""

import pytest

from prism_news.models import RelatedArticlePin

from .api_fixtures import make_articles
from .query_budget import count_queries as count


@pytest.fixture
def two_and_eight(home, category):
    from .factories import CategoryIndexPageFactory

    few = CategoryIndexPageFactory(parent=home, title="Few", slug="few")
    return make_articles(few, 2, prefix="Few"), make_articles(category, 8)


def test_category_page(client, two_and_eight, category):
    few, many = two_and_eight
    assert count(client, few[0].get_parent().url) == count(client, category.url)


def test_home_page_latest_articles(client, root, ja):
    from wagtail.models import Site

    from home.models import HomePage

    from .factories import CategoryIndexPageFactory

    # The example site's home page (the tests' default site has Wagtail's welcome page).
    home = root.add_child(instance=HomePage(title="Prism News", slug="prism-home", locale=ja))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    category = CategoryIndexPageFactory(parent=home, title="Politics", slug="politics")
    make_articles(category, 2, prefix="Early")
    with_two = count(client, "/")
    make_articles(category, 8, prefix="Late")
    assert count(client, "/") == with_two


def test_article_related_cards(client, two_and_eight, prism_settings):
    few, many = two_and_eight
    for other in many[1:5]:
        RelatedArticlePin.objects.create(page=many[0], article=other)
    prism_settings(RELATED_COUNT=1)
    one_card = count(client, many[0].url)
    prism_settings(RELATED_COUNT=4)
    assert count(client, many[0].url) == one_card
