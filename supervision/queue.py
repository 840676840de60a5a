"""The regulator's queue: the latest submission of each assessment in the jurisdiction.

One row per assessment, never a draft (an assessment appears once it has a frozen snapshot),
never outside the jurisdiction (the base query comes from portal/access.py). Filtering,
sorting and the per-status counts happen in the database, so the page runs the same few
queries whatever the number of submissions.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from assessments.models import Assessment, Finding, Submission
from portal import access
from supervision.models import TierOverride

UNSCORED = "unscored"
RISK_ORDER = ("critical", "high", "medium", "low")
SORTS = ("risk", "oldest", "newest")


@dataclass(frozen=True)
class QueueFilters:
    """Cleaned filters of the queue form; empty values filter nothing."""

    status: str = ""
    tier: str = ""  # a tier code, or UNSCORED
    module: str = ""
    red_lines: str = ""  # "yes", "no" or ""
    province: str = ""
    sector: str = ""
    grade: str = ""
    submitted_from: object = None  # a date
    submitted_to: object = None
    sort: str = "risk"


# Statuses no regulator sees in the queue: a draft has no submission yet, and a superseded
# draft was moved to a newer questionnaire version before it was ever submitted.
NOT_IN_QUEUE = (Assessment.Status.DRAFT, Assessment.Status.SUPERSEDED)


def latest_submissions(user) -> QuerySet[Submission]:
    """The newest submission of every assessment the regulator may see (one row each).

    On PostgreSQL the newest of each assessment is a DISTINCT ON read backwards from the
    covering index `submission_latest` (oversight/0004): the planner then knows the set is
    one row per assessment and sorts or groups only those. Elsewhere: no newer submission."""
    rows = access.submissions_for_regulator(user)
    if connection.vendor == "postgresql":
        newest = (
            Submission.objects.order_by("-assessment_id", "-number")
            .distinct("assessment_id")
            .values("pk")
        )
        return rows.filter(pk__in=newest)
    newer = Submission.objects.filter(
        assessment_id=OuterRef("assessment_id"), number__gt=OuterRef("number")
    )
    return rows.filter(~Exists(newer))


def annotated(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Add what a row shows: the override, red lines hit, the risk rank and the modules."""
    override = TierOverride.objects.filter(submission_id=OuterRef("pk")).order_by("-at", "-pk")
    red_lines = (
        # Counted on the partial index finding_red_line alone (COUNT(*), by the result's id,
        # which the row joins already): no table row of the findings is read.
        Finding.objects.filter(result_id=OuterRef("result__id"), red_line=True)
        .order_by()
        .values("result_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    risk = Case(
        *[When(result__overall_tier=t, then=Value(rank)) for rank, t in enumerate(RISK_ORDER)],
        default=Value(len(RISK_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(
        override_tier=Subquery(override.values("tier")[:1]),
        red_line_count=Coalesce(Subquery(red_lines, output_field=IntegerField()), 0),
        risk_rank=risk,
        modules_json=KeyTextTransform("modules", "scoping"),
    )


def filtered(queryset: QuerySet[Submission], filters: QueueFilters, *, status=True):
    """Apply every filter (the status one only when `status`: the counts ignore it)."""
    f = filters
    conditions = Q()
    if status and f.status:
        conditions &= Q(assessment__status=f.status)
    if f.tier == UNSCORED:
        conditions &= Q(result__isnull=True)
    elif f.tier:
        conditions &= Q(result__overall_tier=f.tier)
    if f.module:
        # The modules list as JSON text on both databases; a quoted code matches one element.
        conditions &= Q(modules_json__contains=f'"{f.module}"')
    if f.red_lines == "yes":
        conditions &= Q(red_line_count__gt=0)
    elif f.red_lines == "no":
        conditions &= Q(result__isnull=False, red_line_count=0)
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
    return queryset.filter(conditions)


ORDERINGS = {
    "risk": ("risk_rank", "submitted_at", "pk"),
    "oldest": ("submitted_at", "pk"),
    "newest": ("-submitted_at", "-pk"),
}


def queue_rows(user, filters: QueueFilters) -> "QueueRows":
    """The rows of the queue, filtered and sorted, ready to paginate (two queries a page)."""
    narrow = filtered(annotated(latest_submissions(user)), filters).order_by(
        *ORDERINGS.get(filters.sort, ORDERINGS["risk"])
    )
    full = (
        annotated(access.submissions_for_regulator(user))
        .select_related(
            "assessment__organisation", "assessment__claim__reviewer", "result", "submitted_by"
        )
        # A row shows none of the frozen answers, scoping or full result: leave those large
        # JSON documents in the database (they cost most of the query's time).
        .defer(*HEAVY_FIELDS)
    )
    return QueueRows(narrow, full)


class QueueRows:
    """The queue for the paginator. Sorting every latest submission in the jurisdiction
    (10,000 at 100,000 submissions) is done on the few columns the sort and the filters need,
    which PostgreSQL reads from indexes alone (oversight/0004); only the page's 25 rows are
    then read whole, with their joins and per-row subqueries."""

    def __init__(self, narrow: QuerySet[Submission], full: QuerySet[Submission]):
        self.narrow, self.full = narrow, full

    def count(self) -> int:
        return self.narrow.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.narrow.values_list("pk", flat=True)[index])
        if not ids:
            return []
        rows = {row.pk: row for row in self.full.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


HEAVY_FIELDS = (
    "scoping",
    "answers",
    "editions",
    "attestation",
    "result__result",
    "assessment__scoping",
)


def status_counts(user, filters: QueueFilters) -> dict[str, int]:
    """How many rows each status has under the other filters (one aggregate query); every
    status is counted, so the counts also give the number of rows of any status filter."""
    rows = filtered(annotated(latest_submissions(user)), filters, status=False)
    statuses = Assessment.Status.values
    return rows.aggregate(**{s: Count("pk", filter=Q(assessment__status=s)) for s in statuses})


def shown_counts(counts: dict[str, int]) -> dict[str, int]:
    """The counts the queue shows: statuses that can be in it."""
    return {s: n for s, n in counts.items() if s not in NOT_IN_QUEUE}


def row_count(counts: dict[str, int], filters: QueueFilters) -> int:
    """The number of rows `queue_rows` returns, from the status counts (no second query)."""
    return counts.get(filters.status, 0) if filters.status else sum(counts.values())
