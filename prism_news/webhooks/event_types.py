"""The event types a webhook endpoint can subscribe to.

Apart from the signal handlers (``events``) so that the webhook models can name
the choices while Django loads them, before anything the handlers need exists.
"""

from django.utils.translation import gettext_lazy as _

PAGE_PUBLISHED = "page.published"
PAGE_CORRECTED = "page.corrected"
PAGE_UNPUBLISHED = "page.unpublished"
PAGE_DELETED = "page.deleted"
PAGE_MOVED = "page.moved"
PAGE_EXPIRED = "page.expired"
TRANSLATION_PUBLISHED = "translation.published"
REVIEW_APPROVED = "review.approved"
REVIEW_REJECTED = "review.rejected"

EVENT_CHOICES = [
    (PAGE_PUBLISHED, _("Page published")),
    (PAGE_CORRECTED, _("Correction or update published")),
    (PAGE_UNPUBLISHED, _("Page unpublished")),
    (PAGE_EXPIRED, _("Page expired")),
    (PAGE_DELETED, _("Page deleted")),
    (PAGE_MOVED, _("Page moved")),
    (TRANSLATION_PUBLISHED, _("Translation published")),
    (REVIEW_APPROVED, _("Review approved")),
    (REVIEW_REJECTED, _("Review rejected")),
]
EVENT_TYPES = [name for name, _label in EVENT_CHOICES]

#: Events that tell of a publication: their body carries the API's card.
PUBLICATIONS = {PAGE_PUBLISHED, PAGE_CORRECTED, TRANSLATION_PUBLISHED}
