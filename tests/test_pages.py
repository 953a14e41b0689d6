"""Every page type against Wagtail's own page test helpers, plus the admin form rules."""

from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text, streamfield
from wagtail.users.models import UserProfile

from home.models import HomePage
from prism_news.models import (
    ArticlePage,
    ArticlePageAuthor,
    CategoryIndexPage,
    DisclaimerPage,
    RelatedArticlePin,
)

from .admin_forms import edit_form_data, full_body
from .factories import (
    ArticlePageFactory,
    AuthorFactory,
    CategoryIndexPageFactory,
    DisclaimerPageFactory,
    ImageFactory,
    source,
)

FULL_BODY = [
    ("heading", {"text": "Supply chains", "level": "2"}),
    ("paragraph", '<p>Rare earths and <a href="https://example.com/">data centres</a>.</p>'),
    ("list", {"style": "numbered", "items": ["Japan", "South Korea"]}),
    ("quote", {"text": "Chips are the new oil.", "attribution": "A columnist"}),
    ("key_points", {"title": "Key points", "points": ["An alliance", "A hub"]}),
    ("embed", "https://video.example.com/watch/1"),
]


def _form_errors(response):
    context = getattr(response, "context", None)
    if not context or "form" not in context:
        return None
    form = context["form"]
    return form.errors, {name: fs.errors for name, fs in form.formsets.items()}


def one_new_source(**fields):
    """Inline formset data adding one source to an article without sources."""
    data = {"sources-TOTAL_FORMS": "1", "sources-INITIAL_FORMS": "0"}
    data.update({"sources-0-id": "", "sources-0-ORDER": "1", "sources-0-DELETE": ""})
    data.update({f"sources-0-{name}": value for name, value in fields.items()})
    return data


class PageTypeRulesTests(WagtailPageTestCase):
    def test_articles_live_only_under_category_indexes(self):
        self.assertCanCreateAt(CategoryIndexPage, ArticlePage)
        for parent in (Page, HomePage, DisclaimerPage, ArticlePage):
            self.assertCanNotCreateAt(parent, ArticlePage)

    def test_category_indexes_and_disclaimers_go_under_any_page(self):
        for parent in (Page, HomePage):
            self.assertCanCreateAt(parent, CategoryIndexPage)
            self.assertCanCreateAt(parent, DisclaimerPage)

    def test_articles_and_disclaimers_have_no_children(self):
        self.assertAllowedSubpageTypes(ArticlePage, {})
        self.assertAllowedSubpageTypes(DisclaimerPage, {})
        self.assertAllowedSubpageTypes(CategoryIndexPage, {ArticlePage})


class PageBehaviourTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = Page.objects.get(depth=2)
        cls.category = CategoryIndexPageFactory(parent=cls.home, title="Politics", slug="politics")
        cls.disclaimer = DisclaimerPageFactory(
            parent=cls.home, slug="ai-policy", body=[("paragraph", "<p>How we use AI.</p>")]
        )
        cls.image = ImageFactory()
        cls.other = ArticlePageFactory(parent=cls.category, title="Other story")
        cls.article = ArticlePageFactory(
            parent=cls.category,
            title="Pax Silica",
            hero_image=cls.image,
            hero_image_alt="Glowing nodes over a dark blue gradient",
            hero_image_caption="An alliance of chips",
            hero_image_credit="Prism News",
            body=[
                *FULL_BODY,
                ("image", {"image": cls.image, "alt": "A chip", "caption": "A chip"}),
            ],
            ai_involvement="analysis",
            ai_model="model-x",
            sources=[source()],
            disclaimer=cls.disclaimer,
            tags=["Semiconductors", "Kazakhstan"],
        )
        ArticlePageAuthor.objects.create(page=cls.article, author=AuthorFactory(name="Mari Saeki"))
        RelatedArticlePin.objects.create(page=cls.article, article=cls.other)

    def pages(self):
        return [self.category, self.disclaimer, self.article]

    def test_routable(self):
        for page in self.pages():
            with self.subTest(page=page):
                self.assertPageIsRoutable(page)

    def test_renderable(self):
        for page in self.pages():
            with self.subTest(page=page):
                self.assertPageIsRenderable(page)

    def post_data(self, page):
        if page.specific_class is CategoryIndexPage:
            return edit_form_data(self.client, page)
        return edit_form_data(self.client, page, body=full_body(self.image))

    def test_editable(self):
        user = self.create_superuser("editor")
        for page in self.pages():
            with self.subTest(page=page):
                self.client.force_login(user)
                data = self.post_data(page)
                # The helper only checks that the POST does not crash; check it was valid too.
                response = self.client.post(
                    reverse("wagtailadmin_pages:edit", args=[page.pk]), data
                )
                self.assertEqual(response.status_code, 302, _form_errors(response))
                fresh = Page.objects.get(pk=page.pk)
                self.assertIsNotNone(fresh.live_revision_id)
                self.assertEqual(fresh.live_revision_id, fresh.latest_revision_id)
                self.assertPageIsEditable(page, post_data=data, user=user)

    def test_previewable(self):
        user = self.create_superuser("previewer")
        for page in self.pages():
            with self.subTest(page=page):
                self.client.force_login(user)
                data = self.post_data(page)
                del data["action-publish"]
                self.assertPageIsPreviewable(page, post_data=data, user=user)

    def test_article_html_shows_what_a_reader_needs(self):
        html = self.client.get(self.article.url).content.decode()
        for expected in (
            'alt="Glowing nodes over a dark blue gradient"',
            'href="/politics/">Politics</a>',
            "AI分析",  # the badge, in the article's language (ja)
            "1分で読める",
            'href="https://thediplomat.com/"',
            "A short summary of the story.",
            '<h2 class="prism-heading">Supply chains</h2>',
            '<ol class="prism-list">',
            '<iframe title="A test video"',
            # The byline links to the author page (prism_news.author_pages).
            'Chief Editor <a href="/authors/mari-saeki/">Mari Saeki</a>',
            self.disclaimer.short_text,
            'href="/ai-policy/"',
            "Other story",
        ):
            self.assertIn(expected, html)

    def test_category_lists_live_public_articles_newest_first(self):
        draft = ArticlePageFactory(parent=self.category, title="Draft story", live=False)
        response = self.client.get(self.category.url)
        html = response.content.decode()
        self.assertNotIn(draft.title, html)
        self.assertLess(html.index("Pax Silica"), html.index("Other story"))
        self.assertEqual(list(response.context["articles"]), [self.article, self.other])


class ArticleAdminFormTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.category = CategoryIndexPageFactory(parent=Page.objects.get(depth=2))
        cls.article = ArticlePageFactory(parent=cls.category, title="Plain story")

    def setUp(self):
        self.user = self.login()
        # Assert on the English messages; the site's default language is Japanese.
        profile = UserProfile.get_for_user(self.user)
        profile.preferred_language = "en"
        profile.save()
        self.edit_url = reverse("wagtailadmin_pages:edit", args=[self.article.pk])

    def form_data(self):
        return edit_form_data(
            self.client, self.article, body=streamfield([("paragraph", rich_text("<p>Hi</p>"))])
        )

    def test_ai_involvement_without_a_source_is_refused_on_the_field(self):
        data = self.form_data()
        data["ai_involvement"] = "analysis"
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("ai_involvement", errors)
        with override("en"):
            self.assertIn("at least one source", str(errors["ai_involvement"][0]))
        self.article.refresh_from_db()
        self.assertEqual(self.article.ai_involvement, "none")

    def test_first_source_and_ai_involvement_in_one_submission_is_accepted(self):
        data = self.form_data()
        data["ai_involvement"] = "analysis"
        data.update(
            one_new_source(
                title="Report on the alliance",
                publisher="The Diplomat",
                url="https://thediplomat.com/",
                language="en",
                published_at="2026-01-20",
            )
        )
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 302, _form_errors(response))
        self.article.refresh_from_db()
        self.assertEqual(self.article.ai_involvement, "analysis")
        self.assertEqual([s.publisher for s in self.article.sources.all()], ["The Diplomat"])

    def test_a_source_marked_for_deletion_does_not_count(self):
        data = self.form_data()
        data["ai_involvement"] = "analysis"
        data.update(one_new_source(title="Report", publisher="The Diplomat", url="https://t.co/"))
        data["sources-0-DELETE"] = "on"
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("ai_involvement", response.context["form"].errors)

    def test_non_http_source_url_is_refused_on_the_source_field(self):
        data = self.form_data()
        data.update(
            one_new_source(title="A file", publisher="Somebody", url="ftp://example.com/report.txt")
        )
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 200)
        source_errors = response.context["form"].formsets["sources"].forms[0].errors
        with override("en"):
            self.assertEqual(
                source_errors["url"], ["Enter a web address starting with http:// or https://."]
            )
        self.assertFalse(self.article.sources.exists())
