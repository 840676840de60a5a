"""The risk dashboard of a regulator's jurisdiction: every figure is one aggregate query.

No loop over submissions in Python: the database groups and counts; Python only arranges the
few grouped rows (at most provinces × tiers) into tables. The base is the queue's: the latest
submission of each assessment in the jurisdiction, under the same filters.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.models import Assessment, Citation, Finding
from oversight import tallies
from portal import access
from supervision import queue
from supervision.models import Decision

TIERS = ("low", "medium", "high", "critical")
COLUMNS = (*TIERS, queue.UNSCORED)
TOP_ARTICLES = 10
# The statuses waiting on the regulator (the review backlog) and the age buckets, in days.
BACKLOG = (
    Assessment.Status.SCORED,
    Assessment.Status.SUBMITTED,
    Assessment.Status.SCORING,
    Assessment.Status.UNDER_REVIEW,
    Assessment.Status.RESUBMITTED,
    Assessment.Status.CHANGES_REQUESTED,
)
AGE_BUCKETS = ((7, "0–7"), (30, "8–30"), (90, "31–90"))
OLDEST_BUCKET = ">90"


@dataclass
class TierTable:
    """Counts by a dimension (rows) and tier (columns), with the row totals."""

    rows: list[tuple[str, dict[str, int], int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(t for _k, _c, t in self.rows)


def base(user, filters: queue.QueueFilters):
    """The latest submission of each assessment in the jurisdiction, filtered (no status)."""
    rows = queue.filtered(queue.annotated(queue.latest_submissions(user)), filters, status=False)
    return rows.order_by()


def tier_column():
    return Case(
        *[When(result__overall_tier=t, then=Value(t)) for t in TIERS],
        default=Value(queue.UNSCORED),
        output_field=CharField(),
    )


def all_submissions(user, filters: queue.QueueFilters):
    """Every submission (not only the latest) in the jurisdiction, for trends."""
    rows = access.submissions_for_regulator(user)
    f = filters
    conditions = Q()
    for name, lookup in (
        ("province", "assessment__organisation__province"),
        ("sector", "assessment__organisation__sector"),
        ("grade", "grade"),
        ("submitted_from", "submitted_at__date__gte"),
        ("submitted_to", "submitted_at__date__lte"),
    ):
        value = getattr(f, name)
        if value:
            conditions &= Q(**{lookup: value})
    if f.module:
        rows = rows.annotate(modules_json=queue.KeyTextTransform("modules", "scoping"))
        conditions &= Q(modules_json__contains=f'"{f.module}"')
    return rows.filter(conditions).order_by()


def month_key(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value:%Y-%m}"


def trend_by_month(user, filters) -> TierTable:
    """Submissions per month and tier (every submission, one query): from the trend tally
    when the filters allow and it holds the jurisdiction, else counted live."""
    if tallies.usable(filters):
        months, counted_at = tallies.trend(user, filters)
        if counted_at is not None:
            cells = {m: {c: counts.get(c, 0) for c in COLUMNS} for m, counts in months.items()}
            return TierTable([(k, cells[k], sum(cells[k].values())) for k in sorted(cells)])
    rows = all_submissions(user, filters).annotate(
        month=TruncMonth("submitted_at"), tier_col=tier_column()
    )
    grouped = rows.values("month", "tier_col").annotate(n=Count("pk")).order_by()
    cells: dict[str, dict[str, int]] = {}
    for item in grouped:
        key = month_key(item["month"])
        bucket = cells.setdefault(key, dict.fromkeys(COLUMNS, 0))
        bucket[item["tier_col"]] += item["n"]
    return TierTable([(k, cells[k], sum(cells[k].values())) for k in sorted(cells)])


def live_by_question(rows) -> dict[str, tuple[int, int]]:
    """{question code: (findings, red-line findings)} over the findings of `rows` (the
    latest submissions): one GROUP BY over every finding, the live count."""
    findings = Finding.objects.filter(result__submission__in=rows.values("pk"))
    return {
        code: (n, red)
        for code, n, red in findings.values("question_code")
        .annotate(n=Count("pk"), red=Count("pk", filter=Q(red_line=True)))
        .order_by()
        .values_list("question_code", "n", "red")
    }


def failed_articles(by_question: dict, limit: int = TOP_ARTICLES) -> list[dict]:
    """The articles most often cited by questions with a gap in the latest submissions: the
    counts by question code, joined to the citations of the questions by code (one query)."""
    by_code = {code: n for code, (n, _red) in by_question.items() if n}
    if not by_code:
        return []
    articles: dict[tuple[str, int], dict] = {}
    citations = (
        Citation.objects.filter(question__code__in=list(by_code))
        .values_list("question__code", "regulation_code", "article_number")
        .distinct()
    )
    for code, regulation, article in citations:
        entry = articles.setdefault(
            (regulation, article),
            {"regulation": regulation, "article": article, "n": 0, "questions": set()},
        )
        if code not in entry["questions"]:
            entry["questions"].add(code)
            entry["n"] += by_code[code]
    ranked = sorted(articles.values(), key=lambda e: (-e["n"], e["regulation"], e["article"]))
    for entry in ranked:
        entry["questions"] = sorted(entry["questions"])
    return ranked[:limit]


def red_line_frequency(by_question: dict) -> list[tuple[str, int]]:
    """How many latest submissions hit each red-line question (one finding per question and
    result, so no DISTINCT), most first."""
    hits = [(code, red) for code, (_n, red) in by_question.items() if red]
    return sorted(hits, key=lambda item: (-item[1], item[0]))


def findings_by_question(user, filters, rows) -> tuple[dict, object]:
    """The counts of both findings figures and when they were counted: from the tally
    (oversight.tallies) when the filters allow and it holds the jurisdiction, else live
    (None: counted now)."""
    if tallies.usable(filters):
        counts, counted_at = tallies.by_question(user, filters)
        if counted_at is not None:
            return counts, counted_at
    return live_by_question(rows), None


def decisions_by_month(user, filters) -> list[tuple[str, dict[str, int], int]]:
    """Regulators' decisions per month and kind in the jurisdiction (one query): from the
    decision tally unless a period is asked for, else counted live."""
    actions = tallies.DECISION_ACTIONS
    if not (filters.submitted_from or filters.submitted_to):
        months, counted_at = tallies.decisions(user, filters)
        if counted_at is not None:
            cells = {m: {a: counts.get(a, 0) for a in actions} for m, counts in months.items()}
            return [(k, cells[k], sum(cells[k].values())) for k in sorted(cells)]
    profile = access.regulator_profile(user)
    decisions = Decision.objects.filter(
        access.jurisdiction_q(profile, prefix="assessment__organisation__"),
        action__in=list(actions),
    )
    if filters.province:
        decisions = decisions.filter(assessment__organisation__province=filters.province)
    if filters.sector:
        decisions = decisions.filter(assessment__organisation__sector=filters.sector)
    if filters.submitted_from:
        decisions = decisions.filter(at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        decisions = decisions.filter(at__date__lte=filters.submitted_to)
    grouped = (
        decisions.annotate(month=TruncMonth("at"))
        .values("month", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[str, dict[str, int]] = {}
    for item in grouped:
        cells.setdefault(month_key(item["month"]), dict.fromkeys(actions, 0))[item["action"]] += (
            item["n"]
        )
    return [(k, cells[k], sum(cells[k].values())) for k in sorted(cells)]


# The live figures of the latest submissions in one statement: the base is read once (a
# CTE referenced four times is materialised by PostgreSQL, and SQLite), then grouped four ways.
LATEST_FIGURES = """
    WITH base (sector, province, grade, tier, status, age) AS ({base})
    SELECT 'sector', sector, tier, COUNT(*) FROM base GROUP BY sector, tier
    UNION ALL SELECT 'province', province, tier, COUNT(*) FROM base GROUP BY province, tier
    UNION ALL SELECT 'grade', grade, tier, COUNT(*) FROM base GROUP BY grade, tier
    UNION ALL SELECT 'backlog', status, age, COUNT(*) FROM base
        WHERE status IN ({backlog}) GROUP BY status, age
"""


def latest_figures(rows, now) -> dict:
    """The tier tables by sector, province and grade and the review backlog (by status and
    age since submission) of the latest submissions: one query."""
    from django.db import connection
    from django.db.models import F

    whens = [
        When(submitted_at__gte=now - dt.timedelta(days=days), then=Value(label))
        for days, label in AGE_BUCKETS
    ]
    columns = rows.annotate(
        c_sector=F("assessment__organisation__sector"),
        c_province=F("assessment__organisation__province"),
        c_grade=F("grade"),
        c_tier=tier_column(),
        c_status=F("assessment__status"),
        c_age=Case(*whens, default=Value(OLDEST_BUCKET), output_field=CharField()),
    ).values("c_sector", "c_province", "c_grade", "c_tier", "c_status", "c_age")
    base_sql, params = columns.query.sql_with_params()
    sql = LATEST_FIGURES.format(base=base_sql, backlog=", ".join(["%s"] * len(BACKLOG)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *[str(s) for s in BACKLOG]])
        grouped = cursor.fetchall()
    tables: dict[str, dict[str, dict[str, int]]] = {"sector": {}, "province": {}, "grade": {}}
    ages = [label for _d, label in AGE_BUCKETS] + [OLDEST_BUCKET]
    waiting: dict[str, dict[str, int]] = {}
    for figure, key, column, n in grouped:
        if figure == "backlog":
            waiting.setdefault(key, dict.fromkeys(ages, 0))[column] = n
        else:
            tables[figure].setdefault(str(key), dict.fromkeys(COLUMNS, 0))[column] = n
    from portal.regions import Province, Sector

    def table(cells, order):
        keys = [k for k in (order or sorted(cells)) if k in cells]
        return TierTable([(k, cells[k], sum(cells[k].values())) for k in keys])

    return {
        "by_sector": table(tables["sector"], list(Sector.values)),
        "by_province": table(tables["province"], list(Province.values)),
        "by_grade": table(tables["grade"], ["G1", "G2", "G3", "G4"]),
        "backlog": [(s, waiting[s], sum(waiting[s].values())) for s in BACKLOG if s in waiting],
    }


def dashboard(user, filters: queue.QueueFilters, now=None) -> dict:
    """Every figure of the dashboard (a fixed number of queries, whatever the data size)."""
    now = now or timezone.now()
    rows = base(user, filters)
    by_question, counted_at = findings_by_question(user, filters, rows)
    return {
        **latest_figures(rows, now),
        "trend": trend_by_month(user, filters),
        "articles": failed_articles(by_question),
        "red_lines": red_line_frequency(by_question),
        "findings_counted_at": counted_at,
        "decisions": decisions_by_month(user, filters),
    }
