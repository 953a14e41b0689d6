from wagtail.admin.forms import WagtailAdminPageForm


class PrismPageForm(WagtailAdminPageForm):
    """The editor form of every prism_news page type."""

    class Media:
        # Publish and the other buttons wait for an autosave in flight (see the file).
        js = ["prism_news/js/publish_after_autosave.js"]


class ArticlePageForm(PrismPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # The model's rules look at the article's sources, but a ClusterForm
        # only hands the submitted inline rows to the instance on save. Give
        # the instance the rows as submitted, so ArticlePage.clean() judges
        # what the editor sent rather than what is in the database.
        formset = self.formsets.get("sources")
        if formset is not None and formset.is_valid():
            deleted = formset.deleted_forms
            self.instance.sources = [
                form.instance
                for form in formset.forms
                if form not in deleted and (form.instance.pk or form.has_changed())
            ]
        return cleaned_data
