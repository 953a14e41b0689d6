from wagtail.api.v2.serializers import PageParentField, PageSerializer


class NewsPageParentField(PageParentField):
    def get_attribute(self, instance):
        # An article's parent is its category, already fetched (visible ones only)
        # by prefetch.attach_categories: no need to look it up again.
        if "category" in instance.__dict__:
            return instance.category
        return super().get_attribute(instance)


class NewsPageSerializer(PageSerializer):
    parent = NewsPageParentField(read_only=True)
