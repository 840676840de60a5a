"""Reads of the oversight pages: export rows (streamed), organisation histories.

Everything starts from portal.access: a regulator never reads outside their jurisdiction.
"""

from collections.abc import Iterator

from django.utils import timezone, translation

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


def export_queryset(user, filters: queue.QueueFilters):
    """The filtered queue as plain values (no model instances, no large JSON fields)."""
    rows = queue.filtered(queue.annotated(queue.latest_submissions(user)), filters)
    order = queue.ORDERINGS.get(filters.sort, queue.ORDERINGS["risk"])
    return rows.order_by(*order).values_list(*EXPORT_FIELDS)


def export_rows(user, filters: queue.QueueFilters) -> Iterator[dict]:
    """The rows of an export, read from the database in chunks (a server-side cursor on
    PostgreSQL): memory stays flat whatever the number of rows."""
    from assessments.models import Assessment

    with translation.override("zh-hans"):
        provinces = {c: str(label) for c, label in Province.choices}
        sectors = {c: str(label) for c, label in Sector.choices}
        statuses = {c: str(label) for c, label in Assessment.Status.choices}
    from oversight.exports import TIER_ZH

    local = timezone.get_current_timezone()
    for values in export_queryset(user, filters).iterator(chunk_size=EXPORT_CHUNK):
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
