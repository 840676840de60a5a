"""The review service level on the regulator's pages: when a submission awaiting a decision
is due to be decided (settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS working days from the day
it was submitted, the day itself not counted), and whether that day has passed. The portal's
own service level, not a period set by law."""

from django import template
from django.conf import settings
from django.utils import timezone, translation

from assessments.workflow import DECIDABLE
from duedates import workdays

register = template.Library()


def today():
    return timezone.localdate()


def review_due_date(submitted_at):
    """The day a submission is due to be decided, or None when the calendar is unknown."""
    try:
        return workdays.add_working_days(
            timezone.localdate(submitted_at), settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS
        )
    except workdays.CalendarUnknown:
        return None


@register.inclusion_tag("duedates/_review_due.html")
def review_due(submission, status: str):
    if status not in DECIDABLE:
        return {"show": False}
    due = review_due_date(submission.submitted_at)
    return {
        "show": True,
        "due": due,
        "state": workdays.state(due, today()) if due else None,
        "days": settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS,
    }


@register.inclusion_tag("duedates/_windows_brief.html")
def due_windows(submission):
    """The periods of the rules for the organisation of ``submission``, from its frozen
    answers and the days the organisation entered (1 query): for the regulator, the
    authorities' response times among them."""
    from duedates import selectors
    from duedates.windows import AUTHORITY, windows_due

    organisation_id = submission.assessment.organisation_id
    events = selectors.events_by_organisation([organisation_id]).get(organisation_id, {})
    found = windows_due(
        asked=(submission.answers or {}).keys(),
        events=events,
        answers=selectors.frozen_values(submission),
    )
    lang = "en" if (translation.get_language() or "").startswith("en") else "zh"
    rows = [
        {
            "title": getattr(due.window, lang),
            "due": due,
            "state": due.state(today()),
            "by_authority": due.window.party == AUTHORITY,
            "citations": due.window.citations,
        }
        for due in found
    ]
    return {"rows": rows}
