"""A submission's result: the page (polling while scoring), the status partial and the PDF.

Members of the organisation and regulators whose jurisdiction covers it may read it; anyone
else gets a 404 from portal.access.get_submission_for_user.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import reports, results
from assessments.models import ScoreResult
from portal import access


def stored_result(submission) -> ScoreResult | None:
    return ScoreResult.objects.filter(submission=submission).first()


@require_GET
@login_required
def submission_detail(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    context = results.result_context(submission, stored_result(submission))
    return render(request, "assessments/results/submission.html", context)


@require_GET
@login_required
def submission_status(request, pk):
    """The result block: still polling while scoring, the full result once it is stored."""
    submission = access.get_submission_for_user(request.user, pk)
    context = results.result_context(submission, stored_result(submission))
    return render(request, "assessments/results/_result.html", context)


@require_GET
@login_required
def submission_report(request, pk):
    submission = access.get_submission_for_user(request.user, pk)
    stored = stored_result(submission)
    if stored is None:
        message = _("The report is available once scoring has finished.")
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    pdf = reports.report_pdf(submission, stored, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = reports.report_filename(submission)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
