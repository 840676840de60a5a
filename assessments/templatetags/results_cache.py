"""`{% result_block %}`: the result block of a scored submission, rendered once per language.

A stored result never changes (a second scoring stores nothing), the submission's answers and
cited editions are frozen, and the deadlines count from the day it was submitted; what can
change beside it is a regulator's tier override, which is part of the key. While a submission
is still being scored the block (which polls) is rendered every time.
"""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "assessments/results/_result.html"
TIMEOUT = 24 * 3600


def result_key(submission, stored, override) -> str:
    stamp = f"{override.pk}-{override.at.timestamp()}" if override else "none"
    return f"result:{submission.pk}:{stored.pk}:{get_language() or ''}:{stamp}"


def values(context) -> dict:
    """The template's variables; a view may pass `result_context`, a function computing the
    result's own variables, so that the work is done only when the block is rendered."""
    flat = context.flatten()
    compute = flat.get("result_context")
    return flat | compute() if callable(compute) else flat


@register.simple_tag(takes_context=True)
def result_block(context):
    submission, stored = context.get("submission"), context.get("stored")
    if submission is None or stored is None or context.get("for_pdf"):
        return render_to_string(TEMPLATE, values(context))
    key = result_key(submission, stored, context.get("override"))
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, values(context))
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 (rendered by our own template)
