"""A submission's result: the page (polling while scoring), the status partial and the PDF.

Members of the organisation and regulators whose jurisdiction covers it may read it; anyone
else gets a 404 from portal.access.get_submission_for_user. A regulator's reading of the page
and of the PDF is recorded in the audit trail (the htmx polling is not: it is the same view).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import law_changes, reports, results, selectors
from assessments.models import ScoreResult
from assessments.views import is_regulator_reading
from duedates import selectors as due_selectors
from portal import access, page_cache
from portal.audit import audit_record

FROZEN_FIELDS = ("answers", "scoping", "editions", "attestation")
# The questionnaire version's rules (some 20 KB of JSON) and policies: the result page reads
# none of them (scoring stored what it needed), so they stay in the database.
VERSION_FIELDS = tuple(
    f"assessment__version__{name}" for name in ("rules", "red_line_policy", "removed")
)


def stored_result(submission) -> ScoreResult | None:
    return ScoreResult.objects.filter(submission=submission).first()


def audit_regulator_read(user, submission, verb: str) -> None:
    if is_regulator_reading(user, submission.assessment.organisation_id):
        audit_record(
            actor=user,
            verb=verb,
            obj=submission,
            organisation=submission.assessment.organisation,
            assessment=submission.assessment_id,
            number=submission.number,
        )


def page_review_context(submission) -> dict:
    """The review loop beside the result: the latest decision, the comments on this
    submission with the organisation's replies (2 queries)."""
    from supervision import selectors as review

    assessment = submission.assessment
    return {
        "decision": review.latest_decision(assessment),
        "comments": review.comments_with_replies(assessment, submission),
    }


@require_GET
@login_required
def submission_detail(request, pk):
    # The frozen answers and the full result are read (one query each) only when the cached
    # result block has to be rendered or the law changed since the submission.
    def full():
        return access.get_submission_for_user(
            request.user, pk, defer=FROZEN_FIELDS + VERSION_FIELDS
        )

    membership = None
    if page_cache.cacheable(request):
        membership = access.submission_membership(request.user, pk)
    if membership is not None:  # a member: nothing to audit, the submission read only if rendered
        organisation_id, load = membership[0], full
    else:  # a regulator of its jurisdiction, else a 404
        submission = full()
        audit_regulator_read(request.user, submission, "submission.view")
        organisation_id, load = submission.assessment.organisation_id, lambda: submission
    return page_cache.serve(
        request,
        "assessments:submission",
        lambda: render_submission_detail(request, load()),
        organisations=[organisation_id],
    )


def render_submission_detail(request, submission):
    stored = ScoreResult.objects.filter(submission=submission).defer("result").first()
    # The result block is cached once rendered (templatetags/results_cache.py): what it shows
    # is worked out from the frozen answers and the stored result only when it is rendered.
    context = {
        "submission": submission,
        "stored": stored,
        "result_context": lambda: results.result_context(submission, stored),
    }
    context.update(selectors.submission_review(submission), **page_review_context(submission))
    context["law_markers"] = law_changes.submission_markers(submission)
    context.update(due_selectors.reassessment_context(submission))
    return render(request, "assessments/results/submission.html", context)


@require_GET
@login_required
def submission_status(request, pk):
    """The result block: still polling while scoring, the full result once it is stored."""
    submission = access.get_submission_for_user(request.user, pk)
    context = results.result_context(submission, stored_result(submission))
    context.update(selectors.submission_review(submission))
    return render(request, "assessments/results/_result.html", context)


@require_GET
@login_required
def submission_report(request, pk):
    """The stored PDF of a scored submission. The submission is read with whether it is scored
    and which tier override applies (1 query: plain SQL for a member, the hot path); the
    frozen answers and the full result are read only when the report has to be rendered for
    the first time in this language."""
    submission = access.member_report_submission(request.user, pk)
    regulator = submission is None  # not a member: a regulator of its jurisdiction, or a 404
    if regulator:
        submission = regulator_report_submission(request.user, pk)
    if not submission.scored:
        message = _("The report is available once scoring has finished.")
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    if regulator:
        audit_regulator_read(request.user, submission, "submission.pdf")
    path = reports.stored_report_path(submission, submission.override_pk)
    if not path.exists():
        submission = access.get_submission_for_user(request.user, pk)
        stored = ScoreResult.objects.filter(submission=submission).first()
        path = reports.report_file(submission, stored)
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    filename = reports.report_filename(submission)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def regulator_report_submission(user, pk):
    """Submission `pk` for a regulator whose jurisdiction covers it (else a 404), with
    `scored` and `override_pk` as access.member_report_submission gives them."""
    from django.db.models import Exists, OuterRef, Subquery

    from supervision.models import TierOverride

    return access.get_submission_for_user(
        user,
        pk,
        defer=FROZEN_FIELDS,
        related=("assessment",),
        annotate={
            "scored": Exists(ScoreResult.objects.filter(submission=OuterRef("pk"))),
            "override_pk": Subquery(
                TierOverride.objects.filter(submission=OuterRef("pk"))
                .order_by("-at", "-pk")
                .values("pk")[:1]
            ),
        },
    )
