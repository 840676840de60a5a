"""Reads: the open due dates of the portal, each with its state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from duedates import workdays


@dataclass(frozen=True)
class DueItem:
    """Something due on a date, for an organisation: ``item`` is a stable key."""

    item: str
    due: datetime.date
    organisation_id: int
    assessment_id: int
    question: str
    title_zh: str
    title_en: str


def remediation_due(
    result_json: dict, submitted_on: datetime.date
) -> list[tuple[dict, datetime.date]]:
    """The remediation deadlines of a result's drivers as dates (see results.deadline_date)."""
    from assessments.results import deadline_date

    found = []
    for module in (result_json.get("modules") or {}).values():
        for driver in module.get("drivers", []):
            due = deadline_date(driver, submitted_on)
            if due is not None:
                found.append((driver, due))
    return found


def open_remediation_items() -> list[DueItem]:
    """The remediation deadlines of each assessment's latest scored submission (older ones
    are superseded by the resubmission)."""
    from django.db.models import Max
    from django.utils import timezone

    from assessments.models import ScoreResult

    latest = (
        ScoreResult.objects.values("submission__assessment")
        .annotate(last=Max("submission__number"))
        .values_list("submission__assessment", "last")
    )
    wanted = dict(latest)
    items = []
    results = ScoreResult.objects.filter(submission__assessment__in=list(wanted)).select_related(
        "submission__assessment"
    )
    for result in results:
        submission = result.submission
        if wanted.get(submission.assessment_id) != submission.number:
            continue
        submitted_on = timezone.localdate(submission.submitted_at)
        for driver, due in remediation_due(result.result, submitted_on):
            items.append(
                DueItem(
                    item=f"remediation:{result.pk}:{driver['question']}",
                    due=due,
                    organisation_id=submission.assessment.organisation_id,
                    assessment_id=submission.assessment_id,
                    question=driver["question"],
                    title_zh=driver.get("text_zh", ""),
                    title_en=driver.get("text_en", "") or driver.get("text_zh", ""),
                )
            )
    return items


def state(due: datetime.date, today: datetime.date) -> str:
    return workdays.state(due, today)
