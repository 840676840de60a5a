"""Writes: send each due-date reminder once (the beat job calls reminders_send daily)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from duedates import selectors, workdays
from duedates.models import ReminderSent

BEFORE_WORKING_DAYS = 3


def reminders_send(today: datetime.date, items=None) -> int:
    """Queue the reminders due today (before the due date, and once it has passed) for the
    organisations' owners; each (item, kind) once, even if the job runs twice or in
    parallel. Returns how many were queued."""
    items = selectors.open_remediation_items() if items is None else items
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


def _notify(item, kind: str) -> None:
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from notifications.events import owners_of, render_body
    from notifications.models import Notification
    from notifications.services import absolute_url, notifications_queue
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
        }
        if kind == "passed":
            subject = _("Overdue since %(due)s: remediation of %(question)s") % context
        else:
            subject = _("Due on %(due)s: remediation of %(question)s") % context
        return subject, render_body("deadline", context)

    from django.urls import reverse

    notifications_queue(
        recipients=owners_of(organisation),
        kind=Notification.Kind.DEADLINE,
        link=absolute_url(reverse("assessments:detail", args=[item.assessment_id])),
        render=render,
    )
