"""Reads: the open due dates of the portal, each with its state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from duedates import windows, workdays


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
    kind: str = "remediation"  # remediation | window | reassessment | review (for regulators)


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


def latest_submissions():
    """The latest submission of every assessment (older ones are superseded)."""
    from django.db.models import Max

    from assessments.models import Submission

    latest = Submission.objects.values("assessment").annotate(last=Max("number"))
    numbers = {row["assessment"]: row["last"] for row in latest}
    rows = Submission.objects.filter(assessment__in=list(numbers)).select_related(
        "assessment", "version__questionnaire"
    )
    return [s for s in rows if numbers.get(s.assessment_id) == s.number]


def frozen_values(submission) -> dict[str, object]:
    return {code: (a or {}).get("value") for code, a in (submission.answers or {}).items()}


def events_by_organisation(organisation_ids) -> dict[int, dict[str, datetime.date]]:
    from duedates.models import EventDate

    found: dict[int, dict[str, datetime.date]] = {}
    for row in EventDate.objects.filter(organisation__in=list(organisation_ids)):
        found.setdefault(row.organisation_id, {})[row.event] = row.on
    return found


def schedules_by_version() -> dict[tuple[str, int], object]:
    from duedates.models import ReassessmentSchedule

    return {(s.questionnaire_code, s.version_number): s for s in ReassessmentSchedule.objects.all()}


def reassessment_for(submission, schedules=None) -> Reassessment | None:
    """When the organisation reassesses after ``submission``: the schedule of its version,
    for the grade it was submitted with, from the day it was submitted (None without one)."""
    from django.utils import timezone

    from duedates.models import ReassessmentSchedule

    assessment = submission.assessment
    # The assessment's version (usually read with it) is the one submitted against: only a
    # draft never submitted moves to a newer version.
    version = assessment.version if assessment.version_id == submission.version_id else None
    version = version or submission.version
    key = (version.questionnaire.code, version.number)
    if schedules is None:
        schedule = ReassessmentSchedule.objects.filter(
            questionnaire_code=key[0], version_number=key[1]
        ).first()
    else:
        schedule = schedules.get(key)
    period_data = (schedule.periods if schedule else {}).get(submission.grade)
    if period_data is None:
        return None
    period = workdays.Period.parse(period_data)
    since = timezone.localdate(submission.submitted_at)
    computed = windows.compute(period, since)
    return Reassessment(submission.grade, period, since, computed, schedule.basis)


@dataclass(frozen=True)
class Reassessment:
    grade: str
    period: workdays.Period
    since: datetime.date
    computed: windows.Computed
    basis: dict

    @property
    def due(self) -> datetime.date | None:
        return self.computed.due


def open_window_items(submissions=None) -> list[DueItem]:
    """The organisation's own windows (filings, renewals, yearly duties) of each assessment's
    latest submission: the questions it answered decide which apply. `submissions`: the
    latest submissions when the caller has read them (`latest_submissions`)."""
    submissions = latest_submissions() if submissions is None else submissions
    events = events_by_organisation({s.assessment.organisation_id for s in submissions})
    items = []
    for submission in submissions:
        assessment = submission.assessment
        found = windows.windows_due(
            asked=(submission.answers or {}).keys(),
            events=events.get(assessment.organisation_id, {}),
            answers=frozen_values(submission),
        )
        for due in found:
            if due.due is None or due.done_on or due.window.party != windows.ORGANISATION:
                continue
            window = due.window
            items.append(
                DueItem(
                    item=f"window:{assessment.pk}:{window.key}:{due.anchor_date.isoformat()}",
                    due=due.due,
                    organisation_id=assessment.organisation_id,
                    assessment_id=assessment.pk,
                    question=window.question,
                    title_zh=window.zh,
                    title_en=window.en,
                    kind="window",
                )
            )
    return items


def open_reassessment_items(submissions=None) -> list[DueItem]:
    """When each assessment's organisation reassesses, from its latest submission."""
    schedules = schedules_by_version()
    items = []
    for submission in latest_submissions() if submissions is None else submissions:
        reassessment = reassessment_for(submission, schedules)
        if reassessment is None or reassessment.due is None:
            continue
        assessment = submission.assessment
        items.append(
            DueItem(
                item=f"reassess:{submission.pk}:{reassessment.due.isoformat()}",
                due=reassessment.due,
                organisation_id=assessment.organisation_id,
                assessment_id=assessment.pk,
                question="",
                title_zh="复评",
                title_en="Reassessment",
                kind="reassessment",
            )
        )
    return items


def open_review_items(submissions=None) -> list[DueItem]:
    """Submissions awaiting a regulator's decision, due by the review service level
    (settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS working days from the day submitted)."""
    from django.conf import settings
    from django.utils import timezone

    from assessments.workflow import DECIDABLE

    items = []
    for submission in latest_submissions() if submissions is None else submissions:
        assessment = submission.assessment
        if assessment.status not in DECIDABLE:
            continue
        try:
            due = workdays.add_working_days(
                timezone.localdate(submission.submitted_at),
                settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS,
            )
        except workdays.CalendarUnknown:
            continue
        items.append(
            DueItem(
                item=f"review:{submission.pk}:{due.isoformat()}",
                due=due,
                organisation_id=assessment.organisation_id,
                assessment_id=assessment.pk,
                question="",
                title_zh="审查",
                title_en="Review",
                kind="review",
            )
        )
    return items


def open_items() -> list[DueItem]:
    """Everything the beat job reminds of (the latest submissions read once for the three
    kinds that start from them)."""
    submissions = latest_submissions()
    return (
        open_remediation_items()
        + open_window_items(submissions)
        + open_reassessment_items(submissions)
        + open_review_items(submissions)
    )


@dataclass(frozen=True)
class WindowRow:
    due: windows.Due
    title: str
    anchor_label: str
    citations: list[str]
    state: str | None
    by_authority: bool


@dataclass(frozen=True)
class EventRow:
    key: str
    label: str
    on: datetime.date | None


@dataclass(frozen=True)
class DuePanel:
    windows: list[WindowRow]
    events: list[EventRow]
    reassessment: Reassessment | None
    reassessment_state: str | None

    def __bool__(self) -> bool:
        return bool(self.windows or self.events or self.reassessment)


def answer_label(window) -> str:
    from django.utils.translation import gettext as _

    return _("The date answered to %(code)s") % {"code": window.answer_code}


def due_panel(
    assessment, *, asked: set[str], answers: dict[str, object], latest, today: datetime.date
) -> DuePanel:
    """The due dates of an assessment's overview: the windows of the rules that apply to it
    (from the entered events and the date answers), the events it may enter, and the
    reassessment due after its latest submission (``latest``, or None). 2 queries."""
    from assessments.results import article_label, language

    lang = language()
    events = events_by_organisation([assessment.organisation_id]).get(
        assessment.organisation_id, {}
    )
    rows = []
    for due in windows.windows_due(asked=asked, events=events, answers=answers):
        window = due.window
        anchor = windows.EVENTS.get(window.anchor)
        rows.append(
            WindowRow(
                due=due,
                title=getattr(window, lang),
                anchor_label=getattr(anchor, lang) if anchor else answer_label(window),
                citations=[article_label(code, number) for code, number in window.citations],
                state=due.state(today),
                by_authority=window.party == windows.AUTHORITY,
            )
        )
    offered = [
        EventRow(event.key, getattr(event, lang), events.get(event.key))
        for event in windows.events_for(asked)
    ]
    reassessment = reassessment_for(latest) if latest is not None else None
    state_now = (
        workdays.state(reassessment.due, today) if reassessment and reassessment.due else None
    )
    return DuePanel(rows, offered, reassessment, state_now)


def overview_panel(assessment, questions, answers, submissions) -> DuePanel:
    """``due_panel`` from what the overview has loaded: the applicable questions, the answers
    by question id and the submissions (the latest by number is the one reassessed from)."""
    from django.utils import timezone

    values = {q.code: answers[q.pk].value for q in questions if q.pk in answers}
    latest = max(submissions, key=lambda s: s.number, default=None)
    return due_panel(
        assessment,
        asked={q.code for q in questions},
        answers=values,
        latest=latest,
        today=timezone.localdate(),
    )


def reassessment_context(submission) -> dict:
    """The result page's reassessment line: due date and state (nothing without a schedule)."""
    from django.utils import timezone

    reassessment = reassessment_for(submission)
    due = reassessment.due if reassessment else None
    return {
        "reassessment": reassessment,
        "reassessment_state": workdays.state(due, timezone.localdate()) if due else None,
    }
