"""Labels the review templates need: tiers in the report's words, statuses, diff fields."""

from django import template

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
