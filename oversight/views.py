"""The regulator's oversight pages: exports, the dashboard, warnings, organisation history.

Thin: access comes from portal.access, reads from the selectors, writes from the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oversight import charts, dashboard, exports, forms, selectors, services
from portal import access
from supervision import forms as queue_forms
from supervision import queue


def regulator_filters(request):
    """The regulator's profile and the cleaned queue filters (400 text for bad ones)."""
    profile = access.regulator_profile(request.user)
    if profile is None:
        raise PermissionDenied("Only regulators can export the queue.")
    form = queue_forms.QueueFilterForm(request.GET or None, profile=profile)
    if form.is_bound and not form.is_valid():
        return profile, None
    return profile, (form.filters() if form.is_bound else queue.QueueFilters())


def invalid_filters():
    return HttpResponse(
        "筛选条件无效，未导出任何数据。 The filters are invalid; nothing was exported.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def export_header(request, profile):
    described = selectors.filters_described(request.GET, profile)
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S %Z")
    return described, exports.header_block(described, now)


def filename(ext: str) -> str:
    return f"queue-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


@require_GET
@login_required
def export_csv(request):
    profile, filters = regulator_filters(request)
    if filters is None:
        return invalid_filters()
    described, header = export_header(request, profile)
    services.export_record(user=request.user, kind="csv", filters=described)
    rows = selectors.export_rows(request.user, filters)
    response = StreamingHttpResponse(
        exports.csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


@require_GET
@login_required
def export_xlsx(request):
    """A small XLSX is written in the request; a large one (more rows than
    OVERSIGHT_EXPORT_STREAM_ROWS) is queued for the worker, which stores the file and the
    regulator downloads it from the job's page."""
    profile, filters = regulator_filters(request)
    if filters is None:
        return invalid_filters()
    described, header = export_header(request, profile)
    if selectors.export_exceeds(request.user, filters, services.export_stream_rows()):
        job = services.export_job_request(
            user=request.user, query=request.GET.urlencode(), filters=described
        )
        return redirect("oversight:export_job", pk=job.pk)
    services.export_record(user=request.user, kind="xlsx", filters=described)
    out = exports.xlsx_file(header, selectors.export_rows(request.user, filters))
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename("xlsx"),
        content_type=XLSX_TYPE,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def own_job(request, pk):
    """An export job of the signed-in regulator: anyone else's is a 404."""
    from oversight.models import ExportJob

    if access.regulator_profile(request.user) is None:
        raise PermissionDenied("Only regulators have exports.")
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


@require_GET
@login_required
def export_job(request, pk):
    """The page of a queued export: its state, then the download link until it expires."""
    job = own_job(request, pk)
    expired = job.expires_at <= timezone.now()
    return render(request, "oversight/export_job.html", {"job": job, "expired": expired})


@require_GET
@login_required
def export_download(request, pk):
    from oversight.models import ExportJob

    job = own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("The file is not ready.")
    if job.expires_at <= timezone.now():
        return HttpResponse(
            _("This export has expired; export again from the queue."), status=410,
            content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    services.export_download_record(job=job, user=request.user)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"queue-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx",
        content_type=XLSX_TYPE,
    )


# --------------------------------------------------------------------------- the dashboard


def labels_for_dashboard() -> dict[str, dict[str, str]]:
    from assessments import results
    from assessments.models import Assessment
    from portal.regions import Province, Sector
    from supervision.models import Decision

    tiers = {t: results.tier_label(t) for t in dashboard.TIERS}
    tiers[queue.UNSCORED] = _("Not scored")
    return {
        "tiers": tiers,
        "sectors": {c: str(label) for c, label in Sector.choices},
        "provinces": {c: str(label) for c, label in Province.choices},
        "statuses": {c: str(label) for c, label in Assessment.Status.choices},
        "actions": {c: str(label) for c, label in Decision.Action.choices},
    }


def heat_rows(table, names: dict[str, str]) -> list[dict]:
    """A tier table as rows of (label, cells with their shade, total)."""
    peak = max((n for _k, counts, _t in table.rows for n in counts.values()), default=0)
    return [
        {
            "key": key,
            "label": names.get(key, key),
            "cells": [(counts[c], charts.heat_level(counts[c], peak)) for c in dashboard.COLUMNS],
            "total": total,
        }
        for key, counts, total in table.rows
    ]


@require_GET
@login_required
def dashboard_page(request):
    profile = access.regulator_profile(request.user)
    if profile is None:
        raise PermissionDenied("Only regulators have a risk dashboard.")
    form = forms.DashboardFilterForm(request.GET or None, profile=profile)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "invalid": True}
        return render(request, "oversight/dashboard.html", context, status=400)
    filters = form.filters() if form.is_bound else queue.QueueFilters()
    data = dashboard.dashboard(request.user, filters)
    names = labels_for_dashboard()
    columns = dashboard.COLUMNS
    context = {
        "form": form,
        "data": data,
        "names": names,
        "tier_columns": [(c, names["tiers"][c]) for c in columns],
        "by_sector": heat_rows(data["by_sector"], names["sectors"]),
        "by_province": heat_rows(data["by_province"], names["provinces"]),
        "by_grade": heat_rows(data["by_grade"], {}),
        "trend": heat_rows(data["trend"], {}),
        "backlog_columns": [label for _d, label in dashboard.AGE_BUCKETS]
        + [dashboard.OLDEST_BUCKET],
        "backlog": [
            (names["statuses"].get(s, s), list(cells.values()), total)
            for s, cells, total in data["backlog"]
        ],
        "decision_columns": [names["actions"][a] for a in ("request_changes", "accept", "close")],
        "decisions": [(m, list(cells.values()), total) for m, cells, total in data["decisions"]],
        "charts": {
            "sector": charts.stacked_bars(
                data["by_sector"].rows,
                columns,
                {**names["sectors"], **names["tiers"]},
                title=_("Risk tiers by sector"),
            ),
            "grade": charts.stacked_bars(
                data["by_grade"].rows, columns, names["tiers"], title=_("Risk tiers by grade")
            ),
            "trend": charts.stacked_bars(
                data["trend"].rows, columns, names["tiers"], title=_("Submissions by month")
            ),
            "red_lines": charts.bars(
                data["red_lines"][:15], title=_("Red lines hit, by question"), fill="#dc3545"
            ),
        },
        "query": request.GET.urlencode(),
        "warnings": warnings_for_dashboard(request.user, filters),
    }
    return render(request, "oversight/dashboard.html", context)


def warnings_for_dashboard(user, filters):
    return selectors.open_warnings(user, filters)


# --------------------------------------------------------------------------- warnings, history


@require_POST
@login_required
def warning_acknowledge(request, pk):
    warning = get_object_or_404(selectors.warnings_for_regulator(request.user), pk=pk)
    try:
        services.warning_acknowledge(
            warning=warning, by=request.user, note=request.POST.get("note")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Warning acknowledged; your note is in the audit trail."))
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("oversight:dashboard")


@require_GET
@login_required
def organisation_history(request, organisation_pk):
    organisation = selectors.organisation_for_history(request.user, organisation_pk)
    history = selectors.organisation_history(organisation)
    is_regulator = access.is_regulator(request.user)
    warnings = []
    if is_regulator:
        warnings = list(
            selectors.warnings_for_regulator(request.user)
            .filter(organisation=organisation)
            .order_by("-raised_at", "-pk")
        )
    points = [
        {
            "label": f"#{h['number']} {timezone.localtime(h['submitted_at']):%Y-%m}",
            "index": h["index"],
            "tier": h["tier"],
        }
        for h in history
    ]
    context = {
        "organisation": organisation,
        "history": history,
        "chart": charts.history_chart(points, title=_("Compliance index and tier over time")),
        "warnings": warnings,
        "is_regulator": is_regulator,
    }
    return render(request, "oversight/history.html", context)


DASHBOARD_TABLES = ("by_sector", "by_province", "by_grade", "trend")
TABLE_FIRST = {"by_sector": "行业", "by_province": "省份", "by_grade": "义务等级", "trend": "月份"}


@require_GET
@login_required
def dashboard_table_csv(request, table):
    """One of the dashboard's tier tables as CSV (Chinese headers, the filters on top)."""
    if table not in DASHBOARD_TABLES:
        raise Http404("No such table.")
    profile = access.regulator_profile(request.user)
    if profile is None:
        raise PermissionDenied("Only regulators can export the dashboard.")
    form = forms.DashboardFilterForm(request.GET or None, profile=profile)
    if form.is_bound and not form.is_valid():
        return invalid_filters()
    filters = form.filters() if form.is_bound else queue.QueueFilters()
    described, header = export_header(request, profile)
    services.export_record(user=request.user, kind=f"dashboard.{table}", filters=described)
    data = dashboard.dashboard(request.user, filters)
    with translation.override("zh-hans"):
        names = labels_for_dashboard()
    labels = {"by_sector": names["sectors"], "by_province": names["provinces"]}.get(table, {})
    titles = [TABLE_FIRST[table], *(exports.TIER_ZH.get(c, "未评分") for c in dashboard.COLUMNS)]
    rows = [
        [labels.get(key, key), *(counts[c] for c in dashboard.COLUMNS), total]
        for key, counts, total in data[table].rows
    ]
    response = StreamingHttpResponse(
        exports.table_lines(header, [*titles, "合计"], rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{table}-{filename("csv")}"'
    return response
