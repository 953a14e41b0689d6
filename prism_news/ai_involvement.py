"""How AI was involved in an article, and what that means for readers and machines."""

from django.db import models
from django.utils.translation import gettext_lazy as _

IPTC_DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/"


class AIInvolvement(models.TextChoices):
    # The choice labels are what editors pick from; the reader-facing badge
    # is in BADGES below.
    NONE = "none", _("None: written by people")
    ASSISTED = "assisted", _("Assisted: written by people with AI help")
    ANALYSIS = "analysis", _("Analysis: AI analysis of a source, edited by people")
    GENERATED = "generated", _("Generated: produced by AI")


BADGES = {
    AIInvolvement.NONE: _("Human-written"),
    AIInvolvement.ASSISTED: _("AI-assisted"),
    AIInvolvement.ANALYSIS: _("AI analysis"),
    AIInvolvement.GENERATED: _("AI-generated"),
}

# IPTC digital source type terms. "Assisted" text is a human work with
# AI-made parts folded in, hence the composite term, the same as "analysis".
DIGITAL_SOURCE_TYPES = {
    AIInvolvement.NONE: "humanEdits",
    AIInvolvement.ASSISTED: "compositeWithTrainedAlgorithmicMedia",
    AIInvolvement.ANALYSIS: "compositeWithTrainedAlgorithmicMedia",
    AIInvolvement.GENERATED: "trainedAlgorithmicMedia",
}


def badge_label(involvement):
    return BADGES[AIInvolvement(involvement)]


def digital_source_type(involvement):
    """The full IPTC digital source type URI for an involvement level."""
    return IPTC_DIGITAL_SOURCE_TYPE + DIGITAL_SOURCE_TYPES[AIInvolvement(involvement)]


def involves_ai(involvement):
    return involvement != AIInvolvement.NONE


#: Involvement levels whose articles need an approved human review to be published
#: when PRISM_NEWS["REQUIRE_AI_REVIEW"] is on.
REVIEW_REQUIRED = (AIInvolvement.ANALYSIS, AIInvolvement.GENERATED)
