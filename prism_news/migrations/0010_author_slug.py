from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify

MAX_LENGTH = 100


def fill_slugs(apps, schema_editor):
    """Each author (all their translations together) gets one slug made from the name of
    their default-language version (else their first), "-2", "-3"... when another author
    already has it: the same in every translation, unique per language."""
    Author = apps.get_model("prism_news", "Author")
    default = settings.LANGUAGE_CODE.split("-")[0]
    people = {}
    for author in Author.objects.select_related("locale").order_by("pk"):
        people.setdefault(author.translation_key, []).append(author)
    taken = set()
    for versions in people.values():
        source = next(
            (a for a in versions if a.locale.language_code.split("-")[0] == default), versions[0]
        )
        base = slugify(source.name, allow_unicode=True)[:MAX_LENGTH].strip("-") or "author"
        slug, number = base, 1
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        taken.add(slug)
        Author.objects.filter(pk__in=[a.pk for a in versions]).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("prism_news", "0009_listing_counts"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                help_text=(
                    "The author's page address, /authors/<slug>/, the same in every "
                    "language. Left blank, it is made from the name."
                ),
                max_length=MAX_LENGTH,
                verbose_name="slug",
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="author",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"),
                name="prism_author_slug_locale",
                violation_error_code="slug_taken",
                violation_error_message="Another author in this language has this slug.",
            ),
        ),
    ]
