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


def tier_table(rows, dimension: str, order: list[str] | None = None) -> TierTable:
    """Counts by `dimension` × tier: one GROUP BY query."""
    grouped = (
        rows.annotate(tier_col=tier_column())
        .values(dimension, "tier_col")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells: dict[str, dict[str, int]] = {}
    for item in grouped:
        cells.setdefault(str(item[dimension]), dict.fromkeys(COLUMNS, 0))[item["tier_col"]] = item[
            "n"
        ]
    keys = [k for k in (order or sorted(cells)) if k in cells]
    return TierTable([(k, cells[k], sum(cells[k].values())) for k in keys])


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
    """Submissions per month and tier (every submission, one query)."""
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


def failed_articles(rows, limit: int = TOP_ARTICLES) -> list[dict]:
    """The articles most often cited by questions with a gap in the latest submissions: one
    GROUP BY over the findings, joined to the citations of the questions by code."""
    findings = Finding.objects.filter(result__submission__in=rows.values("pk"))
    by_code = dict(
        findings.values("question_code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("question_code", "n")
    )
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


def red_line_frequency(rows) -> list[tuple[str, int]]:
    """How many latest submissions hit each red-line question (one query)."""
    findings = Finding.objects.filter(result__submission__in=rows.values("pk"), red_line=True)
    return list(
        findings.values("question_code")
        .annotate(n=Count("pk"))  # one finding per question and result: no DISTINCT
        .order_by("-n", "question_code")
        .values_list("question_code", "n")
    )


def backlog(rows, now) -> list[tuple[str, dict[str, int], int]]:
    """The review backlog by status and age since submission (one query)."""
    whens = [
        When(submitted_at__gte=now - dt.timedelta(days=days), then=Value(label))
        for days, label in AGE_BUCKETS
    ]
    age = Case(*whens, default=Value(OLDEST_BUCKET), output_field=CharField())
    grouped = (
        rows.filter(assessment__status__in=BACKLOG)
        .annotate(age=age)
        .values("assessment__status", "age")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = [label for _d, label in AGE_BUCKETS] + [OLDEST_BUCKET]
    cells: dict[str, dict[str, int]] = {}
    for item in grouped:
        cells.setdefault(item["assessment__status"], dict.fromkeys(labels, 0))[item["age"]] = item[
            "n"
        ]
    return [(s, cells[s], sum(cells[s].values())) for s in BACKLOG if s in cells]


def decisions_by_month(user, filters) -> list[tuple[str, dict[str, int], int]]:
    """Regulators' decisions per month and kind in the jurisdiction (one query)."""
    profile = access.regulator_profile(user)
    decisions = Decision.objects.filter(
        access.jurisdiction_q(profile, prefix="assessment__organisation__"),
        action__in=[a for a in ("request_changes", "accept", "close")],
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
    actions = ("request_changes", "accept", "close")
    cells: dict[str, dict[str, int]] = {}
    for item in grouped:
        cells.setdefault(month_key(item["month"]), dict.fromkeys(actions, 0))[item["action"]] += (
            item["n"]
        )
    return [(k, cells[k], sum(cells[k].values())) for k in sorted(cells)]


def dashboard(user, filters: queue.QueueFilters, now=None) -> dict:
    """Every figure of the dashboard (a fixed number of queries, whatever the data size)."""
    from portal.regions import Province, Sector

    now = now or timezone.now()
    rows = base(user, filters)
    return {
        "by_sector": tier_table(rows, "assessment__organisation__sector", list(Sector.values)),
        "by_province": tier_table(
            rows, "assessment__organisation__province", list(Province.values)
        ),
        "by_grade": tier_table(rows, "grade", ["G1", "G2", "G3", "G4"]),
        "trend": trend_by_month(user, filters),
        "articles": failed_articles(rows),
        "red_lines": red_line_frequency(rows),
        "backlog": backlog(rows, now),
        "decisions": decisions_by_month(user, filters),
    }
