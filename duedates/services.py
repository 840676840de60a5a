"""Writes: send each due-date reminder once (the beat job calls reminders_send daily)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from duedates import selectors, workdays
from duedates.models import ReminderSent

BEFORE_WORKING_DAYS = 3


def reminders_send(today: datetime.date, items=None) -> int:
    """Queue the reminders due today (before the due date, and once it has passed) for the
    organisations' owners (a review's for the jurisdiction's regulators); each (item, kind)
    once, even if the job runs twice or in parallel. Returns how many were queued."""
    items = selectors.open_items() if items is None else items
    sent = 0
    for item in items:
        try:
            kind = workdays.reminder_due(item.due, today, before=BEFORE_WORKING_DAYS)
        except workdays.CalendarUnknown:
            kind = "passed" if today > item.due else None
        if kind is None:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(item=item.item, kind=kind, due=item.due)
                _notify(item, kind)
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent


def _subject(item_kind: str, passed: bool) -> str:
    from django.utils.translation import gettext as _

    if item_kind == "review":
        if passed:
            return _("Review overdue since %(due)s: %(organisation)s")
        return _("Review due on %(due)s: %(organisation)s")
    if item_kind == "reassessment":
        if passed:
            return _("Overdue since %(due)s: reassessment of %(organisation)s")
        return _("Due on %(due)s: reassessment of %(organisation)s")
    if item_kind == "window":
        return _("Overdue since %(due)s: %(title)s") if passed else _("Due on %(due)s: %(title)s")
    if passed:
        return _("Overdue since %(due)s: remediation of %(question)s")
    return _("Due on %(due)s: remediation of %(question)s")


def _notify(item, kind: str) -> None:
    from django.utils.translation import get_language

    from notifications.events import render_body
    from notifications.models import Notification
    from notifications.services import notifications_queue
    from portal.models import Organisation

    organisation = Organisation.objects.get(pk=item.organisation_id)

    def render():
        english = (get_language() or "").startswith("en")
        context = {
            "question": item.question,
            "title": item.title_en if english else item.title_zh,
            "due": item.due.isoformat(),
            "passed": kind == "passed",
            "organisation": organisation.name,
            "kind": item.kind,
        }
        return _subject(item.kind, kind == "passed") % context, render_body("deadline", context)

    notifications_queue(
        recipients=_recipients(item, organisation),
        kind=Notification.Kind.DEADLINE,
        link=_link(item),
        render=render,
    )


def _recipients(item, organisation) -> list:
    """A review is the jurisdiction's regulators' to decide; everything else the owners'."""
    from notifications.events import owners_of
    from portal.access import regulators_for_organisation

    if item.kind == "review":
        return list(regulators_for_organisation(organisation))
    return owners_of(organisation)


def _link(item) -> str:
    from django.urls import reverse

    from notifications.events import review_link
    from notifications.services import absolute_url

    if item.kind == "review":
        return review_link(item.assessment_id)
    return absolute_url(reverse("assessments:detail", args=[item.assessment_id]))


def event_date_set(*, organisation, event: str, on: datetime.date | None, by) -> None:
    """Store (or, with ``on`` None, remove) the day an event happened for ``organisation``;
    the windows running from it follow (duedates.windows). An unknown event is refused."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from duedates.models import EventDate
    from duedates.windows import is_enterable

    if not is_enterable(event):
        raise ValidationError(_("Unknown event."), code="unknown_event")
    with transaction.atomic():
        if on is None:
            EventDate.objects.filter(organisation=organisation, event=event).delete()
            return
        EventDate.objects.update_or_create(
            organisation=organisation, event=event, defaults={"on": on, "entered_by": by}
        )


class ScheduleInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def schedule_load(spec) -> tuple[object, str]:
    """Validate a reassessment schedule file and store it for the version it names, which
    must be loaded with exactly the content hash the file gives. Returns the schedule and
    created | unchanged | replaced. Nothing is written when there is a problem."""
    from assessments.loading import spec_sha256
    from assessments.models import QuestionnaireVersion
    from duedates.models import ReassessmentSchedule
    from duedates.schedule import schedule_problems

    problems = schedule_problems(spec)
    if problems:
        raise ScheduleInvalid(problems)
    target = spec["schedule_for"]
    version = QuestionnaireVersion.objects.filter(
        questionnaire__code=target["code"], number=target["version"]
    ).first()
    if version is None:
        raise ScheduleInvalid(
            [f"schedule_for: {target['code']} version {target['version']} is not loaded"]
        )
    if version.source_sha256 != target["sha256"]:
        raise ScheduleInvalid(
            [
                f"schedule_for: {target['code']} version {target['version']} was loaded with "
                "other content (its sha256 differs); the schedule belongs to another file"
            ]
        )
    section = spec["reassessment"]
    values = {
        "periods": {grade: dict(period) for grade, period in section["by_grade"].items()},
        "basis": {"zh": section["basis"]["zh"], "en": section["basis"]["en"]},
        "source_sha256": spec_sha256(spec),
    }
    with transaction.atomic():
        existing = ReassessmentSchedule.objects.filter(
            questionnaire_code=target["code"], version_number=target["version"]
        ).first()
        if existing and existing.source_sha256 == values["source_sha256"]:
            return existing, "unchanged"
        schedule, created = ReassessmentSchedule.objects.update_or_create(
            questionnaire_code=target["code"], version_number=target["version"], defaults=values
        )
    return schedule, "created" if created else "replaced"
