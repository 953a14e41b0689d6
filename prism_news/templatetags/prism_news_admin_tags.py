"""Tags of prism_news's admin templates (the translation editor's review notice)."""

from django import template

from ..admin_translation_review import REVIEW_FIELD, review_notice

register = template.Library()


@register.inclusion_tag("prism_news/admin/translation_review_notice.html", takes_context=True)
def prism_translation_review(context, page):
    """The review notice above wagtail-localize's editor of ``page`` (nothing for a page
    the review gate does not apply to)."""
    request = context["request"]
    return {
        "notice": review_notice(request, page),
        "field": REVIEW_FIELD,
        "action_url": request.path,
        "csrf_token": context.get("csrf_token"),
    }
