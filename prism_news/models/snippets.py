from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ..representations.byline import author_path

#: The longest slug; a taken slug gets "-2", "-3"... within it.
SLUG_MAX_LENGTH = 100


class Author(TranslatableMixin, index.Indexed, models.Model):
    """A byline. Translatable, so the role reads "Chief Editor" or "編集長".

    Each author has a page in every language (``prism_news.author_pages``) at
    ``/authors/<slug>/``; the slug is the same in every translation (wagtail-localize
    synchronises it), so ``/authors/<slug>/`` and ``/en/authors/<slug>/`` name one person.
    """

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "The author's page address, /authors/<slug>/, the same in every language. "
            "Left blank, it is made from the name."
        ),
    )
    role = models.CharField(
        _("role"),
        max_length=255,
        blank=True,
        help_text=_('Shown in the byline, e.g. "Chief Editor".'),
    )
    bio = models.TextField(_("biography"), blank=True)
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("image"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.FilterField("locale_id"),
    ]

    # The address names the person, whatever the language: every translation keeps
    # the source's slug (text is translated; URLs and images are synchronised).
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"],
                name="prism_author_slug_locale",
                violation_error_code="slug_taken",
                violation_error_message=_("Another author in this language has this slug."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug(self.name)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.slug and self.slug_taken(self.slug):
            raise ValidationError({"slug": _("Another author has this slug: choose another one.")})

    def slug_taken(self, slug):
        """Whether another person (not a translation of this author) has ``slug``, in
        any language: a slug names one person on every language's author page."""
        others = Author.objects.filter(slug=slug)
        if self.translation_key:
            others = others.exclude(translation_key=self.translation_key)
        if self.pk:
            others = others.exclude(pk=self.pk)
        return others.exists()

    def free_slug(self, name):
        """A slug made from ``name`` that no other person has ("author" for a name with
        no letters or digits), with "-2", "-3"... when it is taken."""
        base = slugify(name, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or "author"
        slug, number = base, 1
        while self.slug_taken(slug):
            number += 1
            suffix = f"-{number}"
            slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        return slug

    def get_url(self, language=None):
        """The path of this author's page in ``language`` (default: the author's own), or
        None when the project has not included ``prism_news.urls.author_urls``."""
        if language is None:
            language = self.locale.language_code
        return author_path(self.slug, language)
