"""Reads of the oversight pages: export rows (streamed), organisation histories.

Everything starts from portal.access: a regulator never reads outside their jurisdiction.
"""

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone, translation

from portal import access
from portal.regions import Province, Sector
from supervision import queue

EXPORT_CHUNK = 2000

EXPORT_FIELDS = (
    "assessment__organisation__name",
    "assessment__organisation__uscc",
    "assessment__organisation__province",
    "assessment__organisation__sector",
    "grade",
    "number",
    "submitted_at",
    "result__overall_tier",
    "override_tier",
    "result__index",
    "red_line_count",
    "assessment__status",
    "assessment__claim__reviewer__email",
)


def export_queryset(user, filters: queue.QueueFilters, *, every_submission: bool = False):
    """The filtered queue as plain values (no model instances, no large JSON fields);
    `every_submission` exports every snapshot, not only the latest (the measurements)."""
    source = (
        access.submissions_for_regulator(user)
        if every_submission
        else queue.latest_submissions(user)
    )
    rows = queue.filtered(queue.annotated(source), filters)
    order = queue.ORDERINGS.get(filters.sort, queue.ORDERINGS["risk"])
    return rows.order_by(*order).values_list(*EXPORT_FIELDS)


def export_exceeds(user, filters: queue.QueueFilters, limit: int) -> bool:
    """Whether the filtered queue has more than `limit` rows (counts at most limit + 1, on
    the ids alone: no sort, no per-row subqueries)."""
    rows = queue.filtered(queue.annotated(queue.latest_submissions(user)), filters)
    return rows.order_by().values("pk")[: limit + 1].count() > limit


def export_rows(
    user, filters: queue.QueueFilters, *, every_submission: bool = False
) -> Iterator[dict]:
    """The rows of an export, read from the database in chunks (a server-side cursor on
    PostgreSQL): memory stays flat whatever the number of rows."""
    from assessments.models import Assessment

    with translation.override("zh-hans"):
        provinces = {c: str(label) for c, label in Province.choices}
        sectors = {c: str(label) for c, label in Sector.choices}
        statuses = {c: str(label) for c, label in Assessment.Status.choices}
    from oversight.exports import TIER_ZH

    local = timezone.get_current_timezone()
    rows = export_queryset(user, filters, every_submission=every_submission)
    for values in rows.iterator(chunk_size=EXPORT_CHUNK):
        (name, uscc, province, sector, grade, number, at, tier, override, index, red, status,
         reviewer) = values  # fmt: skip
        yield {
            "organisation": name,
            "uscc": uscc,
            "province": provinces.get(province, province),
            "sector": sectors.get(sector, sector),
            "grade": grade,
            "number": number,
            "submitted_at": at.astimezone(local).strftime("%Y-%m-%d %H:%M") if at else "",
            "tier": TIER_ZH.get(tier, "未评分") if tier else "未评分",
            "override": TIER_ZH.get(override, "") if override else "",
            "index": index,
            "red_lines": red if tier else None,
            "status": statuses.get(status, status),
            "reviewer": reviewer or "",
        }


def filters_described(data, profile) -> dict[str, str]:
    """The filters applied, as Chinese label → shown value (for the header row)."""
    from supervision.forms import QueueFilterForm

    described = {}
    with translation.override("zh-hans"):
        form = QueueFilterForm(data or None, profile=profile)
        if not form.is_bound or not form.is_valid():
            return described
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            choices = dict(getattr(field, "choices", []) or [])
            described[str(field.label)] = str(choices.get(value, value))
    return described


# --------------------------------------------------------------------------- warnings

WARNINGS_SHOWN = 50


def warnings_for_regulator(user):
    """Warnings about organisations and groups inside the regulator's jurisdiction."""
    from oversight.models import RiskWarning

    profile = access.regulator_profile(user)
    if profile is None:
        return RiskWarning.objects.none()
    rows = RiskWarning.objects.filter(province__in=profile.provinces or [])
    if profile.sectors:
        rows = rows.filter(Q(sector__in=profile.sectors) | Q(sector="", organisation=None))
    return rows


def open_warnings(user, filters: queue.QueueFilters, limit: int = WARNINGS_SHOWN):
    """The open warnings the dashboard lists (its province and sector filters apply)."""
    rows = warnings_for_regulator(user).filter(acknowledged_at=None)
    if filters.province:
        rows = rows.filter(province=filters.province)
    if filters.sector:
        rows = rows.filter(sector=filters.sector)
    return list(
        rows.select_related("organisation", "submission").order_by("-raised_at", "-pk")[:limit]
    )


# --------------------------------------------------------------------------- history


def organisation_for_history(user, pk):
    """An organisation whose history the user may read: a member (any role), or a regulator
    whose jurisdiction covers it. Anyone else gets a 404."""
    from django.http import Http404

    organisation = access.organisations_for_user(user).filter(pk=pk).first()
    if organisation is None:
        organisation = access.organisations_in_jurisdiction(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def organisation_history(organisation) -> list[dict]:
    """Every submission of the organisation, oldest first, with tier, index, module tiers
    and red lines (two queries; the full result documents stay in the database)."""
    from django.db.models.fields.json import KeyTransform

    from assessments.models import Finding, Submission

    rows = list(
        Submission.objects.filter(assessment__organisation=organisation)
        .annotate(module_results=KeyTransform("modules", "result__result"))
        .values(
            "pk",
            "assessment_id",
            "number",
            "submitted_at",
            "grade",
            "result__overall_tier",
            "result__index",
            "module_results",
        )
        .order_by("submitted_at", "pk")
    )
    red: dict[int, list[str]] = {}
    for sid, code in (
        Finding.objects.filter(
            result__submission__assessment__organisation=organisation, red_line=True
        )
        .order_by("question_code")
        .values_list("result__submission_id", "question_code")
    ):
        red.setdefault(sid, []).append(code)
    history = []
    for row in rows:
        modules = row["module_results"] or {}
        if isinstance(modules, str):
            import json

            modules = json.loads(modules)
        history.append(
            {
                "submission_id": row["pk"],
                "assessment_id": row["assessment_id"],
                "number": row["number"],
                "submitted_at": row["submitted_at"],
                "grade": row["grade"],
                "tier": row["result__overall_tier"],
                "index": row["result__index"],
                "modules": sorted(
                    (code, (data or {}).get("tier")) for code, data in modules.items()
                ),
                "red_lines": red.get(row["pk"], []),
            }
        )
    return history
