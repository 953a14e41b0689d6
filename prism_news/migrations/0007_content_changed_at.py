from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def keep_the_last_publication(apps, schema_editor):
    """Articles published before the field: their dateModified stays their last
    publication (as it was), until their content changes. Their fingerprint is recorded
    by their next publish, which stamps nothing."""
    ArticlePage = apps.get_model("prism_news", "ArticlePage")
    Page = apps.get_model("wagtailcore", "Page")
    last = Page.objects.filter(pk=OuterRef("pk")).values("last_published_at")[:1]
    ArticlePage.objects.update(content_changed_at=Subquery(last))


class Migration(migrations.Migration):
    dependencies = [
        ("prism_news", "0006_tagged_items_carry_article_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name="content_changed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="content changed at"
            ),
        ),
        migrations.AddField(
            model_name="articlepage",
            name="published_fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(keep_the_last_publication, migrations.RunPython.noop),
    ]
