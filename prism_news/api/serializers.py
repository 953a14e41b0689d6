from taggit.managers import _TaggableManager
from wagtail.api.v2.serializers import PageParentField, PageSerializer, TagsField
from wagtail.images.api.v2.serializers import ImageSerializer


class NewsPageParentField(PageParentField):
    def get_attribute(self, instance):
        # An article's parent is its category, already fetched (visible ones only)
        # by prefetch.attach_categories: no need to look it up again.
        if "category" in instance.__dict__:
            return instance.category
        return super().get_attribute(instance)


class NewsPageSerializer(PageSerializer):
    parent = NewsPageParentField(read_only=True)


class PrefetchedTagsField(TagsField):
    def to_representation(self, value):
        # Sorted here, from the tags the listing prefetched: Wagtail's field asks the
        # database again for each image.
        return sorted(tag.name for tag in value.all())


class NewsImageSerializer(ImageSerializer):
    def build_property_field(self, field_name, model_class):
        # taggit's manager (private to taggit; what Wagtail's own serializer tests for).
        if isinstance(getattr(model_class, field_name), _TaggableManager):
            return PrefetchedTagsField, {}
        return super().build_property_field(field_name, model_class)
