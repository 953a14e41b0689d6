"""A source's language is a BCP 47 tag (prism_news.languages), at most 35 characters.

Values stored before: a tag in another case or with underscores (``EN_us``) is rewritten
as the tag (``en-US``); anything else (``テスト``, ``English``) is blanked, in the
source rows and in the articles' revisions, so that publishing an older draft does
not bring it back. Not reversible in data (the blanked values are not kept);
reversing only restores the old field.
"""

from django.db import migrations, models

import prism_news.languages


def repaired(value):
    candidate = (value or "").strip().replace("_", "-")
    if prism_news.languages.is_language_tag(candidate):
        return prism_news.languages.canonical_tag(candidate)
    return ""


def repair_languages(apps, schema_editor):
    ArticleSource = apps.get_model("prism_news", "ArticleSource")
    for source in ArticleSource.objects.exclude(language="").iterator():
        fixed = repaired(source.language)
        if fixed != source.language:
            source.language = fixed
            source.save(update_fields=["language"])

    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    article_type = ContentType.objects.filter(app_label="prism_news", model="articlepage").first()
    if article_type is None:
        return
    for revision in Revision.objects.filter(content_type=article_type).iterator():
        sources = (revision.content or {}).get("sources") or []
        changed = False
        for source in sources:
            if isinstance(source, dict) and source.get("language"):
                fixed = repaired(source["language"])
                if fixed != source["language"]:
                    source["language"] = fixed
                    changed = True
        if changed:
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("prism_news", "0004_article_external_id_unique"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articlesource",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language the original is written in.",
                max_length=35,
                validators=[prism_news.languages.validate_language_tag],
                verbose_name="language",
            ),
        ),
        migrations.RunPython(repair_languages, migrations.RunPython.noop),
    ]
