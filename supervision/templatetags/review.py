"""Labels the review templates need: tiers in the report's words, statuses, diff fields."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from assessments import results, workflow
from assessments.models import Assessment

register = template.Library()


@register.filter
def tier_label(tier: str | None) -> str:
    """低 / 中 / 高 / 重大 (Low / Medium / High / Critical), as everywhere else."""
    return results.tier_label(tier) if tier else "—"


@register.filter
def status_label(status: str) -> str:
    try:
        return Assessment.Status(status).label
    except ValueError:
        return status


@register.filter
def get(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def decidable(status: str) -> bool:
    """Whether a regulator can claim and decide in this state (assessments/workflow.py)."""
    return status in workflow.DECIDABLE


COMMENT_FORM = "supervision/partials/_comment_form.html"
CODE_PLACEHOLDER = "QUESTIONCODEPLACEHOLDER"


@register.simple_tag(takes_context=True)
def comment_form(context, code: str):
    """The comment form of one question. The review page shows one per answer (150 and more):
    the form is rendered once per page with a placeholder and the question code put in each
    copy. A question whose refused comment is being shown again is rendered in full."""
    draft = context.get("draft") or {}
    if draft.get("comment") and draft.get("comment_code") == code:
        return render_to_string(
            COMMENT_FORM, context.flatten() | {"code": code}, context.get("request")
        )
    rendered = context.render_context.get(COMMENT_FORM)
    if rendered is None:
        rendered = render_to_string(
            COMMENT_FORM,
            context.flatten() | {"code": CODE_PLACEHOLDER, "draft": {}},
            context.get("request"),
        )
        context.render_context[COMMENT_FORM] = rendered
    return mark_safe(rendered.replace(CODE_PLACEHOLDER, conditional_escape(code)))  # noqa: S308
