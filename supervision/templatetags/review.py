"""Labels the review templates need: tiers in the report's words, statuses, diff fields."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
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


COMMENTS = "supervision/partials/_comments.html"


@register.simple_tag(takes_context=True)
def answer_rows(context, rows):
    """The review page's answer rows: the cached body of each (supervision/fragments.py), its
    comments and the comment form. Written here rather than as a template loop because a
    submission has 150 rows and more; the markup is the same the loop wrote."""
    with_form = context.get("is_latest") and context.get("can_act")
    parts = []
    for row in rows:
        question = row.question
        comments = ""
        if row.comments:
            comments = render_to_string(COMMENTS, {"comments": row.comments})
        parts.append(
            format_html(
                '<article class="card mb-2 answer-row{}" id="q-{}" data-question="{}">\n'
                '      <div class="card-body py-2">\n        {}\n        {}\n        {}\n'
                "      </div>\n    </article>",
                " border-danger" if question.red_line else "",
                question.code,
                question.code,
                row.body,
                comments,
                comment_form(context, question.code) if with_form else "",
            )
        )
    return mark_safe("\n    ".join(parts))  # noqa: S308 (each part built by format_html)


@register.simple_tag
def audit_rows(events):
    """The audit trail's rows (the latest 50 events): written here rather than as a template
    loop, which cost a quarter of the review page; the markup is the one the loop wrote."""
    from django.utils import timezone
    from django.utils.translation import gettext

    rows = []
    for event in events:
        actor = event.actor.get_short_name() if event.actor_id and event.actor else ""
        number = (event.data or {}).get("number")
        detail = format_html("{} {}", event.object_type, event.object_id)
        if number:
            detail = format_html("{} · {}", detail, gettext("submission %(n)s") % {"n": number})
        rows.append(
            format_html(
                '<tr data-verb="{}"><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>',
                event.verb,
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                actor or "—",
                event.verb,
                detail,
            )
        )
    return mark_safe("\n      ".join(rows))  # noqa: S308 (each row built by format_html)
