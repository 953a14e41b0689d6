"""Human review of AI content: what a review covers, and the state an article is in.

A review is recorded on an article as who, when and a *fingerprint* of the
content they saw (:func:`content_fingerprint`). It counts only while the content
has that fingerprint: change a word, a source or the hero caption and the
article needs a new review. Copies and translations are judged the same way, by
their own content (see docs/provenance.md).

Four eyes: nobody approves a review of content they submitted or changed
(:func:`approval_conflicts`), unless ``AI_REVIEW_ALLOW_SELF_APPROVAL`` is on.

The same question answers everywhere: the publishing gate
(:meth:`AIReviewMixin.publish_blockers`), the stored ``ai_review_current`` flag the
API and the review queue read, and the admin's review column.

:class:`AIReviewMixin` gives a page model with the review fields (``ai_involvement``,
``ai_reviewed_by``, ``ai_reviewed_at``, ``ai_review_fingerprint``,
``ai_review_current``) the review state as properties; ``ArticlePage`` declares
the fields and inherits the behaviour.
"""

import hashlib
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import registry as log_registry

from .ai_involvement import REVIEW_REQUIRED
from .conf import get_settings
from .publish_gate import Blocker, translation_of


class ReviewState(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    NOT_REVIEWED = "not_reviewed", _("Not reviewed")
    CHANGED = "changed", _("Changed since review")
    REVIEWED = "reviewed", _("Reviewed")


_BLOCK_KEY_ATTRIBUTE = re.compile(r'\sdata-block-key="[^"]*"')


def without_block_ids(value):
    """Stream data without block ids and rich text block keys: they say where a block
    is (for the editor and its comments), not what it says."""
    if isinstance(value, list):
        return [without_block_ids(item) for item in value]
    if isinstance(value, dict):
        return {k: without_block_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, str) and "data-block-key" in value:
        return _BLOCK_KEY_ATTRIBUTE.sub("", value)
    return value


def content_fingerprint(article):
    """A digest of everything a reviewer vouches for: the text readers get, the hero
    image and its texts, the sources and the AI facts."""
    content = {
        "title": article.title,
        "summary": article.summary,
        "body": without_block_ids(article.body.get_prep_value()),
        "hero": [
            article.hero_image_id,
            article.hero_image_alt,
            article.hero_image_caption,
            article.hero_image_credit,
        ],
        "sources": [[s.title, s.publisher, s.url] for s in article.sources.all()],
        "ai": [article.ai_involvement, article.ai_model],
    }
    encoded = json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return hashlib.sha256(encoded).hexdigest()


def record_review(article, user, when=None):
    """Record that ``user`` reviewed ``article``'s content as it is now (in memory)."""
    article.ai_reviewed_by = user
    article.ai_reviewed_at = when or timezone.now()
    article.ai_review_fingerprint = content_fingerprint(article)
    article.ai_review_current = True


def review_revision(revision, user, when=None):
    """Record ``user``'s review on ``revision`` (the version they saw), so page history
    shows who vouched for which version and publishing it carries the review."""
    article = revision.as_object()
    if not hasattr(article, "ai_review_fingerprint"):
        return None
    record_review(article, user, when)
    revision.content = article.serializable_data()
    revision.save(update_fields=["content"])
    return article


def review_is_current(article):
    return bool(article.ai_reviewed_at) and (
        article.ai_review_fingerprint == content_fingerprint(article)
    )


# --- Four eyes: who may approve a review

#: The log action that the page history shows when a review task was approved by
#: someone who submitted or changed the content (``AI_REVIEW_ALLOW_SELF_APPROVAL`` on).
SELF_APPROVED_ACTION = "prism_news.review_self_approved"
RESUMED_ACTION = "wagtail.workflow.resume"


class Conflict(models.TextChoices):
    """Why someone may not approve the review of content (four eyes)."""

    SUBMITTED = "submitted", _("you submitted it for review")
    EDITED = "edited", _("you changed its content since its last review")


APPROVAL_REFUSED = _(
    "You cannot approve the review of “%(title)s”: %(reasons)s. Another member of the "
    "reviewing groups must approve it."
)


def self_approval_allowed():
    return get_settings()["AI_REVIEW_ALLOW_SELF_APPROVAL"]


def submitters(obj, workflow_state):
    """Who put ``obj`` in front of the reviewers this time: the person who started
    the workflow and anyone who resumed it after changes were requested."""
    users = {workflow_state.requested_by_id}
    resumed = log_registry.get_logs_for_instance(obj).filter(
        action=RESUMED_ACTION, timestamp__gte=workflow_state.created_at
    )
    users.update(resumed.values_list("user_id", flat=True))
    return users - {None}


def content_editors(obj):
    """The users who changed what a review vouches for since it was last reviewed.

    The page's revisions are read newest first. For an article, a revision is an
    edit when its content fingerprint differs from the revision before it (so a
    comment, a tag or a new slug is not), and the walk stops at the newest revision
    whose content a review covers: what came before was reviewed. An article never
    reviewed counts every author back to its first revision, which counts as an edit.
    A page without a review fingerprint counts the authors of every revision since
    its live one.
    """
    page = obj.specific
    revisions = page.revisions.order_by("-created_at", "-id")
    if not hasattr(page, "ai_review_fingerprint"):
        if page.live_revision_id:
            revisions = revisions.filter(pk__gt=page.live_revision_id)
        return set(revisions.values_list("user_id", flat=True)) - {None}
    editors = set()
    newer = None  # (fingerprint, author) of the revision read just before
    for revision in revisions.iterator(chunk_size=20):
        # The fields a fingerprint reads, from the revision alone: no query per revision
        # (with_content_json would also load the live page's comments and locale).
        version = type(page).from_serializable_data(revision.content, check_fks=False)
        fingerprint = content_fingerprint(version)
        if newer is not None and newer[0] != fingerprint:
            editors.add(newer[1])
        if version.ai_reviewed_at and version.ai_review_fingerprint == fingerprint:
            newer = None
            break
        newer = (fingerprint, revision.user_id)
    if newer is not None:
        editors.add(newer[1])  # the first revision made the content
    return editors - {None}


def approval_conflicts(obj, workflow_state, user, *, changing=False):
    """Why ``user`` may not approve the review task that ``obj`` is on in
    ``workflow_state``: a list of :class:`Conflict`, empty when they may.

    ``changing`` says that the approval comes with changes to the content by
    ``user`` (the editor's "approve" with edits).
    """
    conflicts = []
    if user.pk in submitters(obj, workflow_state):
        conflicts.append(Conflict.SUBMITTED)
    if changing or user.pk in content_editors(obj):
        conflicts.append(Conflict.EDITED)
    return conflicts


def approval_refused_message(obj, conflicts):
    return APPROVAL_REFUSED % {
        "title": obj.get_admin_display_title(),
        "reasons": "; ".join(str(Conflict(conflict).label) for conflict in conflicts),
    }


def needs_review(article):
    return article.ai_involvement in REVIEW_REQUIRED


def state_of(article, *, current=None):
    """The review state of ``article``'s content; ``current`` saves recomputing it."""
    if not needs_review(article):
        return ReviewState.NOT_REQUIRED
    if not article.ai_reviewed_at:
        return ReviewState.NOT_REVIEWED
    if current is None:
        current = review_is_current(article)
    return ReviewState.REVIEWED if current else ReviewState.CHANGED


def latest_state(article):
    """The state of what publishing would put live: the latest revision when the
    article has unpublished changes, else the row itself (its stored flag)."""
    if article.has_unpublished_changes and article.latest_revision_id:
        latest = article.latest_revision.as_object()
        return state_of(latest)
    return state_of(article, current=article.ai_review_current)


def admin_label(article):
    """The admin's review column: the latest content's state, and the live version's
    when it differs (readers see that one, through the API's ``ai.reviewed``)."""
    latest = latest_state(article)
    if not article.live or not article.has_unpublished_changes:
        return str(latest.label)
    live = state_of(article, current=article.ai_review_current)
    if live == latest:
        return str(latest.label)
    return _("Draft: %(draft)s · Live: %(live)s") % {"draft": latest.label, "live": live.label}


class AIReviewMixin:
    """The review state of a page model that carries the review fields (see above)."""

    def content_fingerprint(self):
        return content_fingerprint(self)

    def record_review(self, user, when=None):
        """Record that ``user`` reviewed the content as it is now."""
        record_review(self, user, when)

    @property
    def review_is_current(self):
        return review_is_current(self)

    @property
    def needs_human_review(self):
        return needs_review(self)

    @property
    def review_state(self):
        """For editors: the admin's review column (see :func:`admin_label`)."""
        return admin_label(self)

    @property
    def reviewer_name(self):
        """The reviewer as readers see them: their full name (never the login name),
        and only while the review covers this content."""
        if not self.ai_review_current or not self.ai_reviewed_by_id:
            return None
        return self.ai_reviewed_by.get_full_name() or None

    def publish_blockers(self):
        """Reasons this page may not go live for want of a review (see prism_news.publish_gate)."""
        if not (get_settings()["REQUIRE_AI_REVIEW"] and self.needs_human_review):
            return []
        blockers = []
        if not self.review_is_current:
            blockers.append(Blocker(Blocker.NEEDS_REVIEW))
        # A translation: what it was made from (wagtail-localize's copy of the source,
        # with the review the source carried when the copy was taken) must be reviewed.
        translation = translation_of(self)
        if translation is not None and not review_is_current(translation.source.as_instance()):
            blockers.append(Blocker(Blocker.SOURCE_NOT_REVIEWED))
        return blockers
