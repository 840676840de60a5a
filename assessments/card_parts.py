"""The parts of a question card that a save changes, written once for both answers.

The whole card (`_question.html`) shows them through the `{% load card_parts %}` tags; an
autosave of a card with nothing to clear sends only them, out of band (`answer_saved`), with
no template to render: the autosave is the portal's most frequent request, and these few
elements cost more to render through the template engine than to write here.
"""

from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _local(moment, fmt: str) -> str:
    """`moment` in the reader's time zone, as the template filters `time` and `date` show it."""
    return formats.date_format(timezone.localtime(moment), fmt) if moment else ""


def saved_line(state: str, answer) -> SafeString:
    """What the card says under the form: saved just now, not saved, or who saved it last."""
    if state == "saved":
        at = _local(answer.updated_at, "H:i:s")
        return format_html(
            '<span class="text-success saved">✓ {}</span>', gettext("Saved at %(at)s") % {"at": at}
        )
    if state in ("invalid", "refused"):
        return format_html('<span class="text-danger">{}</span>', gettext("Not saved."))
    if answer is not None and answer.is_answered:
        said = gettext("Last saved by %(who)s at %(at)s") % {
            "who": answer.updated_by,
            "at": _local(answer.updated_at, "Y-m-d H:i"),
        }
        return format_html('<span class="text-secondary">{}</span>', said)
    return mark_safe("")  # noqa: S308 (empty)


def evidence_badge(evidence_state: str) -> SafeString:
    """The badge that says a file is needed, or that the answer is capped without one."""
    if evidence_state == "capped":
        return format_html(
            '<span class="badge text-bg-warning text-wrap text-start evidence-required" '
            'data-evidence="capped">{}</span>',
            gettext(
                "Evidence missing: this answer counts only as “Largely” until a file is attached."
            ),
        )
    if evidence_state == "needed":
        return format_html(
            '<span class="badge text-bg-light border text-wrap text-start evidence-required" '
            'data-evidence="needed">{}</span>',
            gettext(
                "Needed at your grade for “Fully”: without evidence an answer counts at most "
                "as “Largely”."
            ),
        )
    return mark_safe("")  # noqa: S308 (empty)


def section_progress(progress: tuple[int, int] | None) -> SafeString:
    """The section's answered/applicable counter, swapped out of band after a save."""
    if not progress:
        return mark_safe("")  # noqa: S308 (empty)
    return format_html('<strong id="section-progress" hx-swap-oob="true">{}/{}</strong>', *progress)


def answer_saved(question, answer, evidence_state: str, progress) -> str:
    """The brief answer to a save: the card's revision input, its "saved" line, its evidence
    badge (none on a scoping question) and the section counter, each out of band."""
    code = question.code
    parts = [
        section_progress(progress),
        format_html(
            '<input type="hidden" name="{}-revision" value="{}" id="id_{}-revision" '
            'hx-swap-oob="true">',
            code,
            answer.revision,
            code,
        ),
        format_html(
            '<div id="saved-{}" hx-swap-oob="innerHTML">{}</div>',
            code,
            saved_line("saved", answer),
        ),
    ]
    if not question.is_scoping:
        parts.append(
            format_html(
                '<span id="evidence-state-{}" hx-swap-oob="innerHTML">{}</span>',
                code,
                evidence_badge(evidence_state),
            )
        )
    return "\n".join(parts) + "\n"
