"""The regulator's oversight pages: exports, the dashboard, warnings, organisation history.

Thin: access comes from portal.access, reads from the selectors, writes from the services.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from oversight import exports, selectors, services
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
    profile, filters = regulator_filters(request)
    if filters is None:
        return invalid_filters()
    described, header = export_header(request, profile)
    services.export_record(user=request.user, kind="xlsx", filters=described)
    out = exports.xlsx_file(header, selectors.export_rows(request.user, filters))
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
