"""The findings figures of the dashboard, counted ahead of time (FindingTally).

The two findings figures (the most failed articles, red lines by question) count, for every
latest submission in the jurisdiction, its findings: about 90 rows a submission with the
synthetic data, 0.9 million at 100,000 submissions, 2.6 s on the shared machine. They change
only when a result is stored, and a regulator reads them as a picture of the jurisdiction,
so a beat job counts them once for every (province, sector, grade) and the dashboard sums
the few cells of its jurisdiction. The page says when they were counted; a module or period
filter (not in the cells) asks for the live count, as does an empty tally.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from assessments.models import Finding, Submission
from oversight.models import DecisionTally, FindingTally, TrendTally
from portal import access

COLUMNS = ("province", "sector", "grade", "question_code", "failed", "red_lines", "computed_at")


def latest_everywhere():
    """The latest submission of every assessment (the dashboard's base, every jurisdiction)."""
    newer = Submission.objects.filter(
        assessment_id=OuterRef("assessment_id"), number__gt=OuterRef("number")
    )
    return Submission.objects.filter(~Exists(newer)).order_by()


def counted(now):
    """The tally's rows as one GROUP BY over the findings of the latest submissions."""
    from django.db.models import Value

    return (
        Finding.objects.filter(result__submission__in=latest_everywhere().values("pk"))
        .values(
            "result__submission__assessment__organisation__province",
            "result__submission__assessment__organisation__sector",
            "result__submission__grade",
            "question_code",
        )
        .annotate(
            failed=Count("pk"),
            red=Count("pk", filter=Q(red_line=True)),
            at=Value(now),
        )
        .order_by()
    )


def month_start(value) -> dt.date:
    """The first day of a truncated month, whatever the database returned."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date()
    return value


def trend_cells(now):
    """(province, sector, grade, month, tier, n, now) for every submission (one query)."""
    from oversight.dashboard import tier_column

    grouped = (
        Submission.objects.annotate(month=TruncMonth("submitted_at"), tier_col=tier_column())
        .values(
            "assessment__organisation__province",
            "assessment__organisation__sector",
            "grade",
            "month",
            "tier_col",
        )
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(
            "assessment__organisation__province",
            "assessment__organisation__sector",
            "grade",
            "month",
            "tier_col",
            "n",
        )
    )
    cells: dict[tuple, int] = {}
    for province, sector, grade, month, tier, n in grouped:
        key = (province, sector, grade, month_start(month), tier)
        cells[key] = cells.get(key, 0) + n
    return [(*key, n, now) for key, n in cells.items()]


def decision_cells(now):
    """(province, sector, month, action, n, now) for every decision shown (one query)."""
    from supervision.models import Decision

    grouped = (
        Decision.objects.filter(action__in=DECISION_ACTIONS)
        .annotate(month=TruncMonth("at"))
        .values("assessment__organisation__province", "assessment__organisation__sector",
                "month", "action")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assessment__organisation__province", "assessment__organisation__sector",
                     "month", "action", "n")
    )  # fmt: skip
    cells: dict[tuple, int] = {}
    for province, sector, month, action, n in grouped:
        key = (province, sector, month_start(month), action)
        cells[key] = cells.get(key, 0) + n
    return [(*key, n, now) for key, n in cells.items()]


DECISION_ACTIONS = ("request_changes", "accept", "close")


def refresh(*, now=None) -> int:
    """Count every cell of the three tallies again and replace them in one transaction
    (readers see the old ones until it commits); returns the number of cells written."""
    from oversight.bulk import RowWriter

    now = now or timezone.now()
    sql, params = counted(now).query.sql_with_params()
    table = connection.ops.quote_name(FindingTally._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    trends, decisions = trend_cells(now), decision_cells(now)
    writer = RowWriter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One refresh at a time (the beat job and seed_scale may meet); readers go on
            # reading the previous counts.
            tables = ", ".join(
                connection.ops.quote_name(m._meta.db_table)
                for m in (FindingTally, TrendTally, DecisionTally)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        FindingTally.objects.all().delete()
        TrendTally.objects.all().delete()
        DecisionTally.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608
            written = cursor.rowcount
        written += writer.write(
            TrendTally, ("province", "sector", "grade", "month", "tier", "n", "computed_at"),
            trends,
        )  # fmt: skip
        written += writer.write(
            DecisionTally, ("province", "sector", "month", "action", "n", "computed_at"),
            decisions,
        )  # fmt: skip
    return written


def usable(filters) -> bool:
    """The cells hold province, sector and grade: other filters need the live count."""
    return not (filters.module or filters.submitted_from or filters.submitted_to)


def by_question(user, filters) -> tuple[dict[str, tuple[int, int]], object]:
    """{question code: (failed, red lines)} summed over the jurisdiction's cells under the
    filters, and when they were counted (None when the tally is empty). One query."""
    rows = (
        cells_for(FindingTally, user, filters)
        .values("question_code", "computed_at")  # one refresh, one computed_at
        .annotate(failed=Coalesce(Sum("failed"), 0), red=Coalesce(Sum("red_lines"), 0))
        .order_by()
        .values_list("question_code", "failed", "red", "computed_at")
    )
    counts, at = {}, None
    for code, failed, red, computed_at in rows:
        old = counts.get(code, (0, 0))
        counts[code] = (old[0] + failed, old[1] + red)
        at = computed_at if at is None else min(at, computed_at)
    return counts, at


def cells_for(model, user, filters, names=("province", "sector", "grade")):
    """The tally's cells in the regulator's jurisdiction under the filters."""
    profile = access.regulator_profile(user)
    if profile is None:
        return model.objects.none()
    cells = model.objects.filter(access.jurisdiction_q(profile))
    for name in names:
        value = getattr(filters, name)
        if value:
            cells = cells.filter(**{name: value})
    return cells


def trend(user, filters) -> tuple[dict[str, dict[str, int]], object]:
    """{month "YYYY-MM": {tier: n}} and when it was counted (None: empty tally). One query."""
    return monthly(cells_for(TrendTally, user, filters), "tier")


def decisions(user, filters) -> tuple[dict[str, dict[str, int]], object]:
    """{month "YYYY-MM": {action: n}} and when it was counted (None: empty tally)."""
    return monthly(cells_for(DecisionTally, user, filters, names=("province", "sector")), "action")


def monthly(cells, field: str) -> tuple[dict[str, dict[str, int]], object]:
    """The cells added up by month and `field`, with the oldest time they were counted."""
    rows = (
        cells.values("month", field, "computed_at")
        .annotate(total=Sum("n"))
        .order_by()
        .values_list("month", field, "computed_at", "total")
    )
    months: dict[str, dict[str, int]] = {}
    at = None
    for month, key, computed_at, total in rows:
        bucket = months.setdefault(f"{month:%Y-%m}", {})
        bucket[key] = bucket.get(key, 0) + total
        at = computed_at if at is None else min(at, computed_at)
    return months, at
