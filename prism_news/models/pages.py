from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import BaseTranslatableField, SynchronizedField

from .. import ai_involvement, related
from .. import corrections as note_rules
from ..ai_review import AIReviewMixin
from ..blocks import ArticleBodyBlock
from ..caching import depends_on
from ..caching.store import cached_value
from ..conf import default_category_page_size, get_settings
from ..disclaimers import DisclaimerKind, resolve_disclaimer
from ..forms import ArticlePageForm, PrismPageForm
from ..languages import language_label
from ..preview import HeadlessPreviewable
from ..publication_dates import listed_count, note_content_change
from ..publish_gate import BOOKKEEPING_FIELDS, PublishGateMixin
from ..reading_time import reading_minutes, reading_time_label, stream_texts
from ..representations import corrections as correction_notes
from ..representations.prefetch import localize_authors, prepare_cards
from .api_fields import ComputedAPIField
from .article_parts import (  # noqa: F401  (the models must be importable from here)
    ArticlePageAuthor,
    ArticlePageTag,
    ArticleSource,
    RelatedArticlePin,
)
from .querysets import ArticlePageManager, visible_q
from .settings import NewsroomSettings


class CategoryIndexPage(PublishGateMixin, HeadlessPreviewable, Page):
    """A section such as "Politics": lists its live, public articles, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    page_size = models.PositiveSmallIntegerField(
        _("articles per page"),
        default=default_category_page_size,
        help_text=_("How many articles one page of the listing shows."),
    )

    base_form_class = PrismPageForm
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("page_size")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("page_size"),
        ComputedAPIField("translations", "TranslationsField"),
    ]

    subpage_types = ["prism_news.ArticlePage"]
    template = "prism_news/category_index_page.html"
    #: The query parameters the page reads: the response cache keys it by these alone
    #: (docs/caching.md). A subclass that reads another one adds it here.
    cache_parameters = ("page",)

    class Meta:
        verbose_name = _("category index")
        verbose_name_plural = _("category indexes")

    def clean(self):
        super().clean()
        largest = get_settings()["CATEGORY_PAGE_SIZE_MAX"]
        if not 1 <= self.page_size <= largest:
            raise ValidationError(
                {
                    "page_size": _("Choose between 1 and %(max)d articles per page.")
                    % {"max": largest}
                }
            )

    def articles(self):
        """This section's articles that a reader may see, newest first, from their
        ``published_at`` on."""
        return ArticlePage.objects.child_of(self).listed().newest_first().for_cards()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        depends_on(f"section:{self.path}")  # which articles the listing holds
        paginator = Paginator(self.articles(), self.page_size)
        if get_settings()["API_COUNT_CACHE"]:  # counting grows with the archive: keep it
            paginator.count = cached_value(  # and no later than an article's expiry
                f"prism_news:section-count:{self.pk}",
                ("members", f"section:{self.path}"),
                lambda: listed_count(self.articles()),
                expiring=True,
            )
        articles = paginator.get_page(request.GET.get("page"))
        for article in articles:
            article.category = self  # every card's category is this page: skip the lookup
        prepare_cards(articles)
        context["articles"] = articles
        return context


class DisclaimerPage(PublishGateMixin, HeadlessPreviewable, Page):
    """A policy page (AI content, corrections...); its short text is shown under articles."""

    kind = models.CharField(
        _("kind"), max_length=32, choices=DisclaimerKind.choices, default=DisclaimerKind.AI
    )
    short_text = models.CharField(
        _("short text"),
        max_length=500,
        help_text=_("The one-line notice shown under articles, linking to this page."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    base_form_class = PrismPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("short_text"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_text"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("short_text"),
        ComputedAPIField("body", "BodyField"),
        ComputedAPIField("translations", "TranslationsField"),
    ]

    subpage_types = []
    template = "prism_news/disclaimer_page.html"

    class Meta:
        verbose_name = _("disclaimer")
        verbose_name_plural = _("disclaimers")


def _labelled_messages(instance, error):
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else instance._meta.get_field(name).verbose_name
        for message in messages:
            yield label, message


class ReviewRecordPanel(FieldPanel):
    """A read-only field the review task fills in: "Not reviewed yet" until it does,
    where Wagtail's read-only panel would print "None"."""

    def format_value_for_display(self, value):
        if value is None:
            return _("Not reviewed yet")
        return super().format_value_for_display(value)


class ArticlePage(AIReviewMixin, PublishGateMixin, HeadlessPreviewable, Page):
    """One story, living under a CategoryIndexPage."""

    # --- Content
    summary = models.TextField(
        _("summary"),
        help_text=_("The lede: one or two sentences shown above the body and on cards."),
    )
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image alt text"),
        max_length=255,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )
    hero_image_caption = models.CharField(_("hero image caption"), max_length=255, blank=True)
    hero_image_credit = models.CharField(_("hero image credit"), max_length=255, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    # Dated notes, shown with the article; once published, a note stays as it was
    # (prism_news.corrections).
    corrections = StreamField(
        note_rules.CorrectionNotesBlock(),
        verbose_name=_("corrections and updates"),
        blank=True,
        help_text=_(
            "Add a dated note when you correct or update a published article. "
            "A published note cannot be changed or removed later."
        ),
    )

    # --- Details
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Shown to readers. Left blank, it is set when the article is first published."),
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_("Set this when you change the substance of a published article."),
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    # --- AI provenance (what a review means: prism_news.ai_review.AIReviewMixin)
    ai_involvement = models.CharField(
        _("AI involvement"),
        max_length=16,
        choices=ai_involvement.AIInvolvement.choices,
        default=ai_involvement.AIInvolvement.NONE,
        help_text=_("How AI took part in making this article. Readers see it as a badge."),
    )
    ai_model = models.CharField(
        _("AI model"), max_length=255, blank=True, help_text=_("The model that was used, if any.")
    )
    ai_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ai_reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # A digest of what the reviewer approved (see content_fingerprint): the review
    # counts only while the content is the same.
    ai_review_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Whether the review covers this row's content, kept by save(): what readers are
    # told (the API's ai.reviewed) and what the review queue filters on.
    ai_review_current = models.BooleanField(_("review is current"), default=False, editable=False)
    # What readers last saw (content_fingerprint) and when it last changed: dateModified
    # moves only with the content (prism_news.publication_dates). Kept from the live row
    # when a revision is published (with_content_json), never copied or translated.
    published_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    content_changed_at = models.DateTimeField(
        _("content changed at"), null=True, blank=True, editable=False
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("The AI pipeline's id for this article; imports use it to find it again."),
    )
    # The locale again, kept only while the article has an external ID and is not an
    # alias: the constraint below makes (external_id, locale) unique, and a constraint
    # of this table cannot reach Page.locale, which lives in wagtailcore's. Set on save.
    external_id_locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disclaimer = models.ForeignKey(
        "prism_news.DisclaimerPage",
        verbose_name=_("disclaimer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Leave blank to use the site's default: articles with AI involvement "
            "get the AI content disclaimer."
        ),
    )

    # --- Derived
    reading_time = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )

    objects = ArticlePageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_caption"),
                FieldPanel("hero_image_credit"),
            ],
            heading=_("Hero image"),
        ),
        FieldPanel("body"),
        FieldPanel("corrections"),
    ]
    provenance_panels = [
        MultiFieldPanel(
            [
                # Chosen on a new article before it can be saved at all, even as a
                # draft (ArticlePageForm shows no default); the model's default is
                # for code and existing rows.
                FieldPanel("ai_involvement", required_on_save=True),
                FieldPanel("ai_model"),
                # Set by approving the "Human review of AI content" workflow task.
                ReviewRecordPanel("ai_reviewed_by", read_only=True),
                ReviewRecordPanel("ai_reviewed_at", read_only=True),
            ],
            heading=_("AI involvement"),
        ),
        InlinePanel(
            "sources",
            heading=_("Sources"),
            label=_("Source"),
            help_text=_(
                "The original reporting this article analyses. Required with AI involvement."
            ),
        ),
        FieldPanel("disclaimer"),
    ]
    details_panels = [
        FieldPanel("published_at"),
        FieldPanel("updated_at"),
        InlinePanel("article_authors", heading=_("Authors"), label=_("Author"), min_num=0),
        FieldPanel("tags"),
        InlinePanel(
            "related_pins",
            heading=_("Related articles"),
            label=_("Related article"),
            help_text=_("Pinned first; the rest is filled from shared tags and the same category."),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(provenance_panels, heading=_("AI & sources")),
            ObjectList(details_panels, heading=_("Details")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = ArticlePageForm

    search_fields = [
        # Boosts in the order of prism_news.search's tiers: title (Page's, 2) above
        # the summary, above the tags, above the body (docs/search.md, Relevance).
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=1.2)]),
        index.FilterField("ai_involvement"),
        index.FilterField("published_at"),
    ]
    # Computed fields name their serializer in prism_news.api.fields (see ComputedAPIField).
    api_fields = [
        ComputedAPIField("url", "URLField"),
        APIField("summary"),
        APIField("published_at"),
        APIField("updated_at"),
        ComputedAPIField("reading_time", "ReadingTimeField"),
        ComputedAPIField("category", "CategoryField"),
        ComputedAPIField("language_label", "LanguageLabelField"),
        ComputedAPIField("tags", "TagsField"),
        ComputedAPIField("authors", "AuthorsField"),
        ComputedAPIField("ai", "AIField"),
        ComputedAPIField("sources", "SourcesField"),
        ComputedAPIField("hero_image", "HeroImageField"),
        ComputedAPIField("body", "BodyField"),
        ComputedAPIField("corrections", "CorrectionsField"),
        ComputedAPIField("disclaimer", "DisclaimerField"),
        ComputedAPIField("related", "RelatedField"),
        ComputedAPIField("translations", "TranslationsField"),
        ComputedAPIField("json_ld", "JsonLdField"),
        # In listings with ``search`` only (docs/api.md).
        ComputedAPIField("search_snippet", "SearchSnippetField"),
    ]

    # Translation policy (wagtail-localize): text is translated; provenance, dates,
    # sources, images, authors and pins are synchronised from the source. Provenance
    # cannot be overridden per language: a translation tells the same story of how
    # it was made. The review is each language's own: a reviewer vouches for the
    # text they read. See docs/translation.md and docs/ai_involvement.md.
    override_translatable_fields = [
        SynchronizedField("ai_involvement", overridable=False),
        SynchronizedField("ai_model", overridable=False),
        # Each language's text has its own review: neither translated nor synchronised.
        BaseTranslatableField("ai_reviewed_by"),
        BaseTranslatableField("ai_reviewed_at"),
        SynchronizedField("external_id", overridable=False),
        SynchronizedField("published_at", overridable=False),
        SynchronizedField("sources", overridable=False),
    ]

    parent_page_types = ["prism_news.CategoryIndexPage"]
    subpage_types = []
    template = "prism_news/article_page.html"
    # A copy is another article: the pipeline's id stays with the original, and what
    # readers saw of it is the original's.
    exclude_fields_in_copy = ["external_id", "published_fingerprint", "content_changed_at"]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Newest first, as listings, sections and feeds read them (prism_news.api.listing).
            models.Index(fields=["-published_at", "-page_ptr"], name="prism_articles_newest"),
        ]
        constraints = [
            # One story per pipeline id and language: concurrent imports cannot both create it.
            models.UniqueConstraint(
                fields=["external_id", "external_id_locale"],
                condition=~models.Q(external_id="") & models.Q(external_id_locale__isnull=False),
                name="prism_article_external_id_locale",
                violation_error_code="external_id_taken",
                violation_error_message=_(
                    "Another article in this language already has this external ID."
                ),
            ),
        ]

    # --- Rules

    def clean(self):
        super().clean()
        self.check_article_rules()

    def check_article_rules(self):
        """The article's own rules (not the tree's), for clean() and for importers
        that check an article before it has a place in the tree."""
        self.refresh_reading_time()
        errors = {}
        longest = get_settings()["SUMMARY_MAX_LENGTH"]
        if len(self.summary or "") > longest:
            errors["summary"] = _(
                "Keep the summary to %(max)d characters or fewer (it has %(count)d)."
            ) % {"max": longest, "count": len(self.summary)}
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the hero image for people who cannot see it.")
        sources = list(self.sources.all())
        if ai_involvement.involves_ai(self.ai_involvement) and not sources:
            errors["ai_involvement"] = _(
                "An article with AI involvement needs at least one source: "
                "add the original article under Sources."
            )
        for source in sources:
            try:
                source.full_clean(exclude=["page"])
            except ValidationError as error:
                # Name the source and its field: "https://…: language: “テスト” is not…"
                errors.setdefault("sources", []).extend(
                    f"{source.url or source.title}: {label}: {message}"
                    for label, message in _labelled_messages(source, error)
                )
        if errors:
            raise ValidationError(errors)

    def publish_blockers(self):
        return [*super().publish_blockers(), *note_rules.publish_blockers(self)]

    def live_content_fingerprint(self):
        """What readers get: the reviewed content and the correction notes (which a
        review does not cover: they are the newsroom's own statement)."""
        return f"{self.content_fingerprint()}:{note_rules.notes_digest(self.corrections)}"

    def before_save(self, update_fields):
        if self.live and (update_fields is None or set(update_fields) - BOOKKEEPING_FIELDS):
            # Told to front ends once published (page.corrected, prism_news.webhooks).
            self._prism_added_notes = note_rules.added_notes(self)
        self.refresh_reading_time()
        self.ai_review_current = self.review_is_current
        self.external_id_locale_id = self.imported_locale_id()
        derived = ["reading_time", "ai_review_current", "external_id_locale"]
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or timezone.now()
            derived.append("published_at")
        if self.live and update_fields is None:  # what readers get: all the content
            derived += note_content_change(self)
        if update_fields is None or set(update_fields) <= BOOKKEEPING_FIELDS:
            return update_fields
        return [*update_fields, *(name for name in derived if name not in update_fields)]

    def with_content_json(self, content):
        """A revision as a page: what readers last saw, and when it changed, are the live
        row's (a revision keeps the values of when it was saved, before its own publish)."""
        page = super().with_content_json(content)
        page.published_fingerprint = self.published_fingerprint
        page.content_changed_at = self.content_changed_at
        return page

    def imported_locale_id(self):
        """The locale the external ID is unique in, or None (no ID, or an alias, which
        shares its original's ID)."""
        if not self.external_id or self.alias_of_id is not None:
            return None
        return self.locale_id or self.get_default_locale().pk

    def refresh_reading_time(self):
        texts = [self.summary, *stream_texts(self.body)]
        self.reading_time = reading_minutes(texts, self.language_code)

    # --- What templates and the API read

    @property
    def language_code(self):
        # A page being created gets its locale in a pre_save signal, after save() runs.
        locale = self.locale if self.locale_id else self.get_default_locale()
        return locale.language_code

    @property
    def language_label(self):
        return language_label(self.language_code)

    @property
    def reading_time_label(self):
        return reading_time_label(self.reading_time, self.language_code)

    @property
    def ai_badge(self):
        # Labels follow the article's language, not the request's.
        with override(self.language_code):
            return str(ai_involvement.badge_label(self.ai_involvement))

    @property
    def digital_source_type(self):
        return ai_involvement.digital_source_type(self.ai_involvement)

    @cached_property
    def category(self):
        """The parent section, if readers may see it."""
        parent_path = self.path[: -self.steplen]
        return CategoryIndexPage.objects.filter(visible_q(), path=parent_path).first()

    @cached_property
    def site(self):
        """The page's site; the API sets it from the request to save the lookup."""
        return self.get_site()

    @cached_property
    def newsroom_settings(self):
        depends_on("settings")
        if self.site is None:
            return None
        return NewsroomSettings.for_site(self.site)

    @cached_property
    def correction_notes(self):
        """The correction and update notes, newest first (for templates)."""
        return correction_notes.shown_notes(self)

    @cached_property
    def resolved_disclaimer(self):
        return resolve_disclaimer(self)

    def related_articles(self):
        return related.related_articles(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The template draws its own renditions of these (the response cache must know).
        depends_on(*(f"image:{pk}" for pk in self.image_ids()))
        context["related_articles"] = self.related_articles()
        authors = self.localized_authors()
        for author in authors:  # each links to their page in this article's language
            author.page_url = author.get_url(self.language_code)
        context["authors"] = authors
        return context

    def image_ids(self):
        """The hero image and the body's images."""
        ids = [self.hero_image_id] if self.hero_image_id else []
        for child in self.body:
            if child.block_type == "image" and child.value["image"] is not None:
                ids.append(child.value["image"].pk)
        return ids

    def localized_authors(self):
        """The byline in this article's language, in the editor's order.

        A translated article may still point at the source-language author; the
        author's translation in this locale is used where there is one.
        """
        if not hasattr(self, "_prism_authors"):  # listings attach them in bulk
            localize_authors([self])
        return self._prism_authors
