"""Builds the demo newsroom from home.demo.content. Idempotent: finds before it creates."""

import datetime
import io
import re
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    ReferenceIndex,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

from home.models import HomePage
from prism_news.disclaimers import DisclaimerKind
from prism_news.models import (
    AIReviewTask,
    ArticlePage,
    ArticlePageAuthor,
    ArticleSource,
    Author,
    CategoryIndexPage,
    DisclaimerPage,
    NewsroomDefaultDisclaimer,
    NewsroomSettings,
    RelatedArticlePin,
)
from prism_news.translation import translate_instance

from . import content, images

SOURCE_LANGUAGE = "ja"
TARGET_LANGUAGES = ["en"]
# The Pax Silica story pins the other Politics stories as related.
PINNING_STORY = "pax-silica"
HOME_SLUGS = {"ja": "prism-news-ja", "en": "prism-news-en"}
#: How long before the load each story is dated, newest first (in the order of the dates
#: in home.demo.content): the newest two within the Google News sitemap's two days.
STORY_AGES = [
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=20),
    datetime.timedelta(days=3),
    datetime.timedelta(days=6),
    datetime.timedelta(days=10),
]
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def site_address():
    """``(hostname, port)`` of the SITE_URL setting, where readers reach the site."""
    url = urlsplit(getattr(django_settings, "SITE_URL", "") or "http://localhost")
    default_port = 443 if url.scheme == "https" else 80
    return url.hostname or "localhost", url.port or default_port


def story_dates(stories, now):
    """``{key: (published_at, source date)}``: the stories dated relative to ``now`` (the
    demo reads as news on the day it loads), in the order of their dates in the content,
    each source as many days before its story as in the content."""
    newest_first = sorted(
        stories, key=lambda spec: datetime.datetime.fromisoformat(spec["published_at"])
    )[::-1]
    if len(newest_first) > len(STORY_AGES):
        raise ValueError(f"STORY_AGES dates {len(STORY_AGES)} stories, not {len(newest_first)}")
    dates = {}
    for spec, age in zip(newest_first, STORY_AGES, strict=False):
        published_at = (now - age).replace(second=0, microsecond=0)
        source_date = spec["source"].get("published_at")
        if source_date:
            written = datetime.datetime.fromisoformat(spec["published_at"]).date()
            gap = written - datetime.date.fromisoformat(source_date)
            source_date = timezone.localtime(published_at).date() - gap
        dates[spec["key"]] = (published_at, source_date or None)
    return dates


def _paragraph_html(text):
    from django.utils.html import escape

    return f"<p>{escape(text)}</p>"


def _logo_png():
    """A prism: a white triangle splitting a line into three coloured rays."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (512, 512), (18, 24, 48))
    draw = ImageDraw.Draw(canvas)
    draw.line([(20, 300), (200, 260)], fill=(240, 240, 240), width=10)
    for i, colour in enumerate([(230, 70, 70), (80, 200, 120), (70, 130, 240)]):
        draw.line([(300, 250 + i * 20), (500, 200 + i * 70)], fill=colour, width=12)
    draw.polygon([(256, 90), (380, 390), (132, 390)], outline=(255, 255, 255), width=12)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = []
        self.translations = self._build_translation_table()

    # --- Translation table: every Japanese string in the content, mapped to its English.

    def _build_translation_table(self):
        table = {}

        def walk(node):
            if isinstance(node, dict):
                if set(node) == {"ja", "en"} and isinstance(node["ja"], str):
                    table[node["ja"]] = node["en"]
                    return
                for value in node.values():
                    walk(value)
            elif isinstance(node, list | tuple):
                for value in node:
                    walk(value)

        walk(
            [content.SITE, content.AUTHOR, content.CATEGORIES, content.DISCLAIMER, content.STORIES]
        )
        table[HOME_SLUGS["ja"]] = HOME_SLUGS["en"]
        return table

    def translate_string(self, text):
        from django.utils.html import escape

        if text in self.translations:
            return self.translations[text]
        # Rich text segments come back HTML-escaped.
        for ja, en in self.translations.items():
            if escape(ja) == text:
                return escape(en)
        # Slugs, URLs, publisher names and tags carry no Japanese: they stay as they are.
        return None if _CJK.search(text) else text

    # --- Steps

    @transaction.atomic
    def run(self, admin_password):
        # Wagtail indexes references in a task per saved row, run after the commit by
        # the worker. A translation saves its page's authors and pins, then replaces
        # them while syncing the page, so those tasks would look for rows that are gone
        # (DoesNotExist in the worker). Index what was made here, once, instead.
        with disable_reference_index_auto_update():
            self._run(admin_password)
        for obj in [self.home, *self.created]:
            if ReferenceIndex.is_indexed(type(obj)):
                ReferenceIndex.create_or_update_for_object(obj)

    def _run(self, admin_password):
        self.ja = Locale.objects.get_or_create(language_code=SOURCE_LANGUAGE)[0]
        self.targets = [
            Locale.objects.get_or_create(language_code=code)[0] for code in TARGET_LANGUAGES
        ]
        self.admin = self._user("admin", admin_password, superuser=True)
        # A desk account: readers see "reviewed by the editors" in their own language.
        self.editor = self._user("chief-editor", None)
        self.home = self._home()
        self.author = self._author()
        disclaimer = self._disclaimer()
        self._settings(disclaimer)
        categories = {spec["key"]: self._category(spec) for spec in content.CATEGORIES}
        stories = {}
        self.dates = story_dates(content.STORIES, timezone.now())
        # Pins point at other stories, so the story with pins comes last.
        for spec in sorted(content.STORIES, key=lambda s: s["key"] == PINNING_STORY):
            stories[spec["key"]] = self._story(spec, categories[spec["category"]], stories)
        self._translate_all([self.home, *categories.values(), disclaimer, *stories.values()])
        self._review_workflow()

    def summary(self):
        if not self.created:
            return "Demo content was already complete; nothing added."
        admin_url = f"{getattr(django_settings, 'SITE_URL', 'http://127.0.0.1:8000')}/admin/"
        return f"Added {len(self.created)} objects. Admin: {admin_url} (admin)"

    def _note(self, obj):
        self.created.append(obj)
        self.log(f"  + {obj._meta.verbose_name}: {obj}")

    def _user(self, username, password, superuser=False, **names):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True, is_superuser=superuser, **names)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            self._note(user)
        return user

    def _home(self):
        home = HomePage.objects.filter(locale=self.ja).first()
        site = Site.objects.filter(is_default_site=True).first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title=content.SITE["home_title"]["ja"],
                    slug=HOME_SLUGS["ja"],
                    intro=content.SITE["home_intro"]["ja"],
                    locale=self.ja,
                )
            )
            home.save_revision(user=self.admin).publish()
            self._note(home)
        hostname, port = site_address()
        if site is None:
            site = Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="Prism News",
            )
        elif site.root_page_id != home.pk:
            previous = site.root_page
            site.root_page = home
            site.site_name = "Prism News"
            site.save()
            # Wagtail's "Welcome to your new Wagtail site!" placeholder goes.
            if previous.specific_class is Page and not previous.get_children().exists():
                previous.delete()
        if (site.hostname, site.port) != (hostname, port):
            # Absolute URLs (html_url, canonical, hreflang, feeds, sitemaps) come from
            # the Site: it follows the address the demo is served on.
            site.hostname, site.port = hostname, port
            site.save()
            self.log(f"  ~ site address: {site.root_url}")
        return home

    def _author(self):
        spec = content.AUTHOR
        author = Author.objects.filter(locale=self.ja, name=spec["name"]["ja"]).first()
        if author is None:
            author = Author.objects.create(
                locale=self.ja,
                name=spec["name"]["ja"],
                slug=spec["slug"],
                role=spec["role"]["ja"],
                bio=spec["bio"]["ja"],
            )
            self._note(author)
        for locale in self.targets:
            if not Author.objects.filter(
                translation_key=author.translation_key, locale=locale
            ).exists():
                self._note(
                    translate_instance(author, locale, self.translate_string, user=self.admin)
                )
        return author

    def _child(self, parent, model, slug, build):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = parent.add_child(instance=build())
        page.save_revision(user=self.admin).publish()
        self._note(page)
        return page

    def _disclaimer(self):
        spec = content.DISCLAIMER
        return self._child(
            self.home,
            DisclaimerPage,
            spec["slug"],
            lambda: DisclaimerPage(
                title=spec["title"]["ja"],
                slug=spec["slug"],
                kind=spec["kind"],
                short_text=spec["short_text"]["ja"],
                body=self._body(spec["body"]),
            ),
        )

    def _settings(self, disclaimer):
        settings = NewsroomSettings.for_site(self.home.get_site())
        if not settings.publisher_name:
            settings.publisher_name = "Prism News"
            settings.publisher_logo = self._image("logo", "Prism News logo")
            settings.save()
        if not settings.default_disclaimers.filter(kind=DisclaimerKind.AI).exists():
            NewsroomDefaultDisclaimer.objects.create(
                settings=settings, kind=DisclaimerKind.AI, disclaimer=disclaimer
            )

    def _category(self, spec):
        return self._child(
            self.home,
            CategoryIndexPage,
            spec["slug"],
            lambda: CategoryIndexPage(
                title=spec["title"]["ja"],
                slug=spec["slug"],
                intro=_paragraph_html(spec["intro"]["ja"]),
            ),
        )

    def _image(self, motif, title):
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        if image is None:
            size = (512, 512) if motif == "logo" else (1600, 900)
            data = _logo_png() if motif == "logo" else images.render(motif, *size)
            image = Image(title=title, file=ImageFile(io.BytesIO(data), name=f"demo-{motif}.png"))
            image.save()
            self._note(image)
        return image

    def _body(self, blocks):
        stream = []
        for block_type, value in blocks:
            if block_type == "heading":
                stream.append(
                    ("heading", {"text": value["text"]["ja"], "level": str(value["level"])})
                )
            elif block_type == "paragraph":
                stream.append(("paragraph", _paragraph_html(value["ja"])))
            elif block_type == "list":
                stream.append(
                    ("list", {"style": value["style"], "items": [i["ja"] for i in value["items"]]})
                )
            elif block_type == "quote":
                stream.append(
                    (
                        "quote",
                        {"text": value["text"]["ja"], "attribution": value["attribution"]["ja"]},
                    )
                )
            elif block_type == "key_points":
                stream.append(
                    (
                        "key_points",
                        {
                            "title": value["title"]["ja"],
                            "points": [p["ja"] for p in value["points"]],
                        },
                    )
                )
            else:
                raise ValueError(f"Unknown demo block type {block_type!r}")
        return stream

    def _story(self, spec, category, stories):
        existing = ArticlePage.objects.child_of(category).filter(slug=spec["slug"]).first()
        if existing is not None:
            return existing
        published_at, source_date = self.dates[spec["key"]]
        image = spec["image"]
        article = ArticlePage(
            title=spec["title"]["ja"],
            slug=spec["slug"],
            summary=spec["summary"]["ja"],
            hero_image=self._image(image["motif"], f"Demo: {spec['key']}"),
            hero_image_alt=image["alt"]["ja"],
            hero_image_caption=image["caption"]["ja"],
            hero_image_credit=image["credit"]["ja"],
            body=self._body(spec["body"]),
            published_at=published_at,
            ai_involvement=spec["ai_involvement"],
            ai_model=spec.get("ai_model", ""),
        )
        source = spec["source"]
        article.sources = [
            ArticleSource(
                title=source["title"],
                publisher=source["publisher"],
                url=source["url"],
                language=source.get("language", ""),
                published_at=source_date,
            )
        ]
        article.article_authors = [ArticlePageAuthor(author=self.author)]
        if spec["key"] == PINNING_STORY:
            article.related_pins = [
                RelatedArticlePin(article=other)
                for other in stories.values()
                if other.get_parent().pk == category.pk
            ]
        # The chief editor's review, as approving the review task would record it.
        article.record_review(self.editor, published_at - datetime.timedelta(hours=1))
        category.add_child(instance=article)
        article.tags.add(*spec["tags"])
        article.save_revision(user=self.admin).publish()
        self._note(article)
        return article

    def _review_workflow(self):
        """Reviewers (the chief editor) approve AI content on every home page's tree."""
        # Named in the site's default language: the admin shows stored names as they are.
        with translation.override(django_settings.LANGUAGE_CODE):
            group_name = gettext("AI reviewers")
            workflow_name = gettext("AI content review")
            task_name = gettext("Human review of AI content")
        reviewers = Group.objects.filter(name__in=[group_name, "AI reviewers"]).first()
        created = reviewers is None
        if created:
            reviewers = Group.objects.create(name=group_name)
            self._note(reviewers)
            reviewers.permissions.add(Permission.objects.get(codename="access_admin"))
        self.editor.groups.add(reviewers)
        # Approving the last task publishes: reviewers edit and publish in the newsroom.
        page_permissions = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=["change_page", "publish_page"]
        )
        workflow = Workflow.objects.filter(name__in=[workflow_name, "AI content review"]).first()
        created = workflow is None
        if created:
            workflow = Workflow.objects.create(name=workflow_name)
            task = AIReviewTask.objects.create(name=task_name)
            task.groups.add(reviewers)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            self._note(workflow)
        for home in HomePage.objects.all():
            WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=reviewers, page=home, permission=permission
                )

    def _translate_all(self, pages):
        for page in pages:
            for locale in self.targets:
                if page.has_translation(locale):
                    continue
                # The chief editor reads each translation too: an AI article's
                # translation needs its own review to go live (docs/provenance.md).
                translated = translate_instance(
                    page,
                    locale,
                    self.translate_string,
                    user=self.admin,
                    reviewer=self.editor,
                    reviewed_at=getattr(page, "ai_reviewed_at", None),
                )
                self._note(translated)
