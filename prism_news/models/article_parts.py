"""The orderable rows that hang off an article: sources, authors, related pins, tags."""

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .. import languages

# Its own error code: a ModelForm swaps the model's message for the form field's
# generic "Enter a valid URL." when the codes match ("invalid").
http_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address starting with http:// or https://."),
    code="invalid_scheme",
)


class SourceLanguageSelect(forms.Select):
    """The editor's list of languages for a source, made when it is shown (in the
    editor's language), keeping a stored value that is not in the list."""

    def get_context(self, name, value, attrs):
        self.choices = languages.source_language_choices(current=value)
        return super().get_context(name, value, attrs)

    def build_attrs(self, base_attrs, extra_attrs=None):
        # The model field is a CharField, whose form field asks for a maxlength.
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs


class ArticleSource(Orderable):
    """An original article that the story analyses."""

    page = ParentalKey("prism_news.ArticlePage", on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=255)
    url = models.URLField(_("URL"), max_length=2000, validators=[http_url_validator])
    language = models.CharField(
        _("language"),
        max_length=languages.MAX_LENGTH,
        blank=True,
        validators=[languages.validate_language_tag],
        help_text=_("The language the original is written in."),
    )
    published_at = models.DateField(_("published on"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("publisher"),
        FieldPanel("url"),
        FieldPanel("language", widget=SourceLanguageSelect),
        FieldPanel("published_at"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    def clean(self):
        super().clean()
        # Runs after the field's validator: the value is a language tag by now.
        self.language = languages.canonical_tag(self.language)

    @property
    def language_tag(self):
        """The language as readers and machines get it (``hreflang``, ``inLanguage``):
        a valid tag or "", whatever an older version stored."""
        return languages.valid_tag_or_blank(self.language)


class ArticlePageAuthor(Orderable):
    page = ParentalKey(
        "prism_news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        "prism_news.Author", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


class RelatedArticlePin(Orderable):
    """An editor's pick for the related-articles list; pins come before automatic fill."""

    page = ParentalKey(
        "prism_news.ArticlePage", on_delete=models.CASCADE, related_name="related_pins"
    )
    article = models.ForeignKey(
        "prism_news.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")


class ArticlePageTag(TaggedItemBase):
    """An article's tag, carrying copies of the article's live flag, locale and
    publication date, so that "the newest live articles in this locale with this tag"
    is one range of one index (``prism_tagged_newest``) however large the archive
    (``prism_news.related``).

    The copies follow the article: this row's ``save()`` takes them from its article,
    and every save of the article (or of its generic ``Page`` row) that writes one of
    them rewrites its rows (``prism_news.related.sync_tagged_items``). Code that
    changes those fields with ``QuerySet.update()`` calls that function itself.
    """

    content_object = ParentalKey(
        "prism_news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    live = models.BooleanField(default=False, editable=False)
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the index below starts with the tag
    )
    published_at = models.DateTimeField(null=True, editable=False)

    #: The article's fields copied onto its tag rows.
    COPIED_FIELDS = ("live", "locale", "published_at")

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "locale", "-published_at", "-content_object"],
                condition=models.Q(live=True, published_at__isnull=False),
                name="prism_tagged_newest",
            ),
        ]

    def save(self, *args, **kwargs):
        # modelcluster saves the rows with the article that is being saved in memory.
        article = self.content_object
        self.live = article.live
        self.locale_id = article.locale_id
        self.published_at = article.published_at
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.COPIED_FIELDS}
        super().save(*args, **kwargs)
