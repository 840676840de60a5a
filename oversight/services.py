"""Writes of the oversight app: export records, warning refreshes and acknowledgements."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from assessments.models import Assessment, Finding, Submission
from assessments.workflow import DECISIONS
from duedates import workdays
from oversight import rules
from oversight.models import RiskWarning
from portal import access
from portal.audit import audit_record
from supervision.models import Decision

log = logging.getLogger(__name__)


def export_record(*, user, kind: str, filters: dict[str, str]) -> None:
    """Every export is in the audit trail: who, which format, with which filters."""
    profile = access.regulator_profile(user)
    audit_record(actor=user, verb=f"export.{kind}", obj=profile, organisation=None, filters=filters)


# --------------------------------------------------------------------------- early warnings


def thresholds() -> rules.Thresholds:
    """The thresholds of the rules (settings.OVERSIGHT_WARNINGS overrides each one)."""
    return rules.Thresholds(**getattr(settings, "OVERSIGHT_WARNINGS", {}))


def _store(raised: list, context: dict, now) -> int:
    """Create the warnings whose key is new (existing keys are left alone): returns how many."""
    if not raised:
        return 0
    known = set(
        RiskWarning.objects.filter(key__in=[r.key for r in raised]).values_list("key", flat=True)
    )
    fresh = [
        RiskWarning(
            rule=r.rule,
            key=r.key,
            reasons=r.reasons,
            submission_id=r.submission_id,
            raised_at=now,
            **context[r.key],
        )
        for r in raised
        if r.key not in known
    ]
    RiskWarning.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    return len(fresh)


def assessment_histories():
    """The last two scored submissions of every assessment, with red lines (two queries)."""
    latest = (
        Submission.objects.filter(assessment_id=OuterRef("assessment_id"), result__isnull=False)
        .order_by("-number")
        .values("number")[:1]
    )
    points = (
        Submission.objects.filter(result__isnull=False)
        .annotate(latest=Subquery(latest))
        .filter(number__gte=F("latest") - 1)
        .values_list(
            "pk",
            "number",
            "assessment_id",
            "assessment__organisation_id",
            "assessment__organisation__province",
            "assessment__organisation__sector",
            "result__overall_tier",
            "result__index",
        )
        .order_by()
    )
    rows = list(points)
    ids = [row[0] for row in rows]
    red: dict[int, set[str]] = {}
    for chunk in range(0, len(ids), 5000):
        for sid, code in Finding.objects.filter(
            result__submission_id__in=ids[chunk : chunk + 5000], red_line=True
        ).values_list("result__submission_id", "question_code"):
            red.setdefault(sid, set()).add(code)
    histories: dict[int, tuple[dict, list]] = {}
    for pk, number, assessment, organisation, province, sector, tier, index in rows:
        context = {
            "assessment_id": assessment,
            "organisation_id": organisation,
            "province": province,
            "sector": sector,
        }
        point = rules.Point(
            pk,
            number,
            tier,
            float(index) if index is not None else None,
            frozenset(red.get(pk, ())),
        )
        histories.setdefault(assessment, (context, []))[1].append(point)
    return histories.values()


def stale_change_requests(today, limits: rules.Thresholds):
    """Assessments whose latest decision asked for changes and that have not resubmitted."""
    raised, context = [], {}
    latest_decision = (
        Decision.objects.filter(assessment_id=OuterRef("assessment_id"), action__in=DECISIONS)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    waiting = (
        Decision.objects.filter(
            action=Decision.Action.REQUEST_CHANGES,
            assessment__status__in=(
                Assessment.Status.CHANGES_REQUESTED,
                Assessment.Status.REOPENED,
            ),
        )
        .filter(pk=Subquery(latest_decision))
        .values_list(
            "pk",
            "at",
            "submission_id",
            "assessment_id",
            "assessment__organisation_id",
            "assessment__organisation__province",
            "assessment__organisation__sector",
        )
    )
    for pk, at, submission, assessment, organisation, province, sector in waiting:
        try:
            found = rules.no_resubmission(
                decision_id=pk,
                requested_on=timezone.localtime(at).date(),
                resubmitted=False,
                today=today,
                thresholds=limits,
                submission_id=submission,
            )
        except workdays.CalendarUnknown as unknown:
            # No guessing: without the year's official calendar the rule cannot count.
            log.error("no-resubmission warnings skipped: %s", unknown)
            break
        if found:
            raised.append(found)
            context[found.key] = {
                "assessment_id": assessment,
                "organisation_id": organisation,
                "province": province,
                "sector": sector,
            }
    return raised, context


def share_counts(start, end, group: tuple[str, ...]) -> dict[tuple, tuple[int, int]]:
    """(severe, total) of scored submissions in [start, end) per group (one query)."""
    rows = (
        Submission.objects.filter(
            result__isnull=False, submitted_at__date__gte=start, submitted_at__date__lt=end
        )
        .values(*group)
        .annotate(
            total=Count("pk"), severe=Count("pk", filter=Q(result__overall_tier__in=rules.SEVERE))
        )
        .order_by()
    )
    return {tuple(r[g] for g in group): (r["severe"], r["total"]) for r in rows}


def share_warnings(today, limits: rules.Thresholds, period_days: int):
    """Provinces, and sectors within a province, whose share of 高/重大 rose."""
    raised, context = [], {}
    end = today
    middle = end - dt.timedelta(days=period_days)
    start = middle - dt.timedelta(days=period_days)
    period = f"{middle.isoformat()}..{end.isoformat()}"
    province = ("assessment__organisation__province",)
    both = (*province, "assessment__organisation__sector")
    for group in (province, both):
        now, before = share_counts(middle, end, group), share_counts(start, middle, group)
        for values, counts in now.items():
            name = ":".join(values)
            found = rules.share_rose(name, counts, before.get(values, (0, 0)), period, limits)
            if found:
                raised.append(found)
                context[found.key] = {
                    "province": values[0],
                    "sector": values[1] if len(values) > 1 else "",
                }
    return raised, context


def warnings_refresh(*, today=None, now=None) -> int:
    """Recompute every rule and store the warnings not raised before (the beat job)."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    limits = thresholds()
    raised, context = [], {}
    for where, history in assessment_histories():
        for found in rules.assessment_warnings(history, limits):
            raised.append(found)
            context[found.key] = where
    for more, more_context in (
        stale_change_requests(today, limits),
        share_warnings(today, limits, getattr(settings, "OVERSIGHT_PERIOD_DAYS", 30)),
    ):
        raised.extend(more)
        context.update(more_context)
    with transaction.atomic():
        return _store(raised, context, now)


def warning_acknowledge(*, warning: RiskWarning, by, note: str) -> RiskWarning:
    """Acknowledge a warning with a note; the note is kept in the audit trail."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(gettext("Write a note saying what was done about the warning."))
    if warning.acknowledged_at is not None:
        raise ValidationError(gettext("This warning was already acknowledged."))
    with transaction.atomic():
        warning.acknowledged_at = timezone.now()
        warning.acknowledged_by = by
        warning.note = note
        warning.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        audit_record(
            actor=by,
            verb="warning.acknowledge",
            obj=warning,
            organisation=warning.organisation,
            rule=warning.rule,
            key=warning.key,
            note=note,
            **({"assessment": warning.assessment_id} if warning.assessment_id else {}),
        )
    return warning


# --------------------------------------------------------------------------- large exports

# An XLSX of more rows than this is written by the worker into a stored file (a download
# link), not inside the request; the file is kept this many hours.
EXPORT_STREAM_ROWS = 5000
EXPORT_HOURS = 24


def export_hours() -> int:
    return getattr(settings, "OVERSIGHT_EXPORT_HOURS", EXPORT_HOURS)


def export_stream_rows() -> int:
    return getattr(settings, "OVERSIGHT_EXPORT_STREAM_ROWS", EXPORT_STREAM_ROWS)


def export_job_request(*, user, query: str, filters: dict[str, str]):
    """Queue a large XLSX export: the job row, the audit event, the worker's task."""
    from oversight import tasks
    from oversight.models import ExportJob

    now = timezone.now()
    job = ExportJob.objects.create(
        user=user,
        kind="xlsx",
        query=query,
        filters=filters,
        created_at=now,
        expires_at=now + dt.timedelta(hours=export_hours()),
    )
    profile = access.regulator_profile(user)
    audit_record(
        actor=user, verb="export.xlsx", obj=profile, organisation=None, filters=filters,
        job=job.pk,
    )  # fmt: skip
    try:
        tasks.build_export.delay(job.pk)
    except Exception as error:  # noqa: BLE001 - the broker is down: say so on the job's page
        log.warning("export %s not queued: %s", job.pk, error)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error="queue unavailable", finished_at=timezone.now()
        )
    return job


def export_build(job_id: int) -> int | None:
    """Write a queued export's XLSX row by row into its stored file; the number of rows.

    The filters are validated again against the regulator's jurisdiction as it is now, so a
    regulator whose jurisdiction shrank meanwhile gets nothing outside the new one."""
    from django.core.files import File
    from django.http import QueryDict

    from oversight import exports, selectors
    from oversight.models import ExportJob
    from supervision.forms import QueueFilterForm
    from supervision.queue import QueueFilters

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    if not claimed:  # a repeated delivery, or a job already written
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    profile = access.regulator_profile(job.user)
    data = QueryDict(job.query)
    form = QueueFilterForm(data or None, profile=profile) if profile else None
    if form is None or (form.is_bound and not form.is_valid()):
        job.status, job.error = ExportJob.Status.FAILED, "filters no longer valid"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return None
    filters = form.filters() if form.is_bound else QueueFilters()
    exported_at = timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    header = exports.header_block(job.filters, exported_at)
    count = 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            yield row

    try:
        out = exports.xlsx_file(header, counted(selectors.export_rows(job.user, filters)))
        with out:
            name = f"queue-{job.pk}-{job.created_at:%Y%m%d-%H%M}.xlsx"
            job.file.save(name, File(out), save=False)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error="the file could not be written",
            finished_at=timezone.now(),
        )  # fmt: skip
        raise
    job.status, job.rows, job.finished_at = ExportJob.Status.DONE, count, timezone.now()
    job.save(update_fields=["status", "rows", "finished_at", "file"])
    return count


def export_download_record(*, job, user) -> None:
    audit_record(
        actor=user, verb="export.download", obj=job, organisation=None, job=job.pk,
        rows=job.rows,
    )  # fmt: skip


def exports_purge(*, now=None) -> int:
    """Delete the files of expired exports and their rows (the audit events stay)."""
    from oversight.models import ExportJob

    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(expired)
