"""API fields on the page models, without importing the API layer.

``api_fields`` stays on each page class (it reads as part of the class's table
of contents), but the serializer of a computed field lives in
``prism_news.api.fields``, above the models. :class:`ComputedAPIField` names it by
class name and imports it the first time Wagtail asks (building a v2 serializer
or the v3 schema, after the app registry is ready), the way a ``ForeignKey``
names its model by string.
"""

from django.utils.module_loading import import_string
from wagtail.api import APIField

#: Where the serializer fields named by ComputedAPIField live.
FIELDS_MODULE = "prism_news.api.fields"


class ComputedAPIField(APIField):
    """``APIField(name, serializer=prism_news.api.fields.<serializer>())``, the field
    class imported on first use."""

    def __init__(self, name, serializer):
        self.serializer_path = f"{FIELDS_MODULE}.{serializer}"
        self._serializer = None
        super().__init__(name)

    @property
    def serializer(self):
        if self._serializer is None:
            self._serializer = import_string(self.serializer_path)()
        return self._serializer

    @serializer.setter
    def serializer(self, value):
        # APIField.__init__ sets None; a field given explicitly replaces the lazy one.
        if value is not None:
            self._serializer = value
