"""The regulator's workspace: the queue, the review page, claims, comments and decisions.

Every assessment is reached through portal.access.get_assessment_for_regulator (a 404 for
anyone outside the jurisdiction, members included); every write goes through
supervision.services, whose refusals are shown as messages, never as errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import access, page_cache
from portal.audit import audit_record
from supervision import forms, queue, selectors, services

PAGE_SIZE = 25


@require_GET
@login_required
def queue_page(request):
    profile = access.regulator_profile(request.user)
    if profile is None:
        raise PermissionDenied("Only regulators have a review queue.")
    # Kept whole until a submission, a result, a decision, a claim or an organisation changes
    # anywhere (the supervision stamp), or the regulator's jurisdiction does.
    return page_cache.serve(
        request,
        "supervision:queue",
        lambda: render_queue_page(request, profile),
        scopes=[page_cache.SUPERVISION],
        parts=(profile.pk, tuple(profile.provinces), tuple(profile.sectors)),
    )


def render_queue_page(request, profile):
    form = forms.QueueFilterForm(request.GET or None, profile=profile)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "page": None, "counts": None, "invalid": True}
        return render(request, "supervision/queue.html", context, status=400)
    filters = form.filters() if form.is_bound else queue.QueueFilters()
    rows = queue.queue_rows(request.user, filters)
    counts = queue.status_counts(request.user, filters)
    paginator = Paginator(rows, PAGE_SIZE)
    # The aggregate already counted the rows: the paginator need not run the query again.
    paginator.__dict__["count"] = queue.row_count(counts, filters)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": queue.shown_counts(counts),
        "filters": filters,
        "query": query_without_page(request),
    }
    return render(request, "supervision/queue.html", context)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@login_required
def review(request, pk, number=None):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    latest = selectors.submission_for_review(assessment)
    submission = latest
    if number is not None and number != latest.number:
        submission = selectors.submission_for_review(assessment, number)
    if submission is None:
        raise Http404("No such submission.")
    audit_record(
        actor=request.user,
        verb="review.view",
        obj=submission,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        number=submission.number,
    )
    context = selectors.review_page(assessment, submission, latest)
    context["override_form"] = forms.OverrideForm()
    context["draft"] = request.session.pop(draft_key(assessment.pk), {})
    return render(request, "supervision/review.html", context)


def attempt(request, call, success: str) -> bool:
    """Run a service; its refusal becomes an error message, its success `success`."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def draft_key(pk) -> str:
    return f"review-draft-{pk}"


def keep_draft(request, pk, **texts) -> None:
    """A refused decision or comment keeps what was typed: the page shows it again once."""
    request.session[draft_key(pk)] = texts


def back(request, assessment, anchor: str = ""):
    """To `next` when it is one of ours (the queue sends it), else the review page."""
    target = request.POST.get("next", "")
    # Only a path of ours: redirect() would take any other string for a view name (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(reverse("supervision:review", args=[assessment.pk]) + anchor)


@require_POST
@login_required
def claim(request, pk):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    seen = request.POST.get("seen_status") or None
    attempt(
        request,
        lambda: services.review_claim(assessment=assessment, by=request.user, seen_status=seen),
        _("You are now reviewing this submission."),
    )
    return back(request, assessment)


@require_POST
@login_required
def unclaim(request, pk):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    attempt(
        request,
        lambda: services.review_unclaim(assessment=assessment, by=request.user),
        _("You released this submission; anyone in the jurisdiction can claim it."),
    )
    return back(request, assessment)


@require_POST
@login_required
def comment(request, pk):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    form = forms.CommentForm(request.POST)
    code = request.POST.get("question_code", "")
    if not form.is_valid():
        messages.error(request, _("Write the comment first."))
    elif not attempt(
        request,
        lambda: services.review_comment_add(
            assessment=assessment,
            by=request.user,
            body=form.cleaned_data["body"],
            question_code=form.cleaned_data["question_code"],
        ),
        _("Comment added."),
    ):
        keep_draft(request, pk, comment_code=code, comment=form.cleaned_data["body"])
    return back(request, assessment, f"#q-{code}" if code else "#general-comments")


@require_POST
@login_required
def decide(request, pk):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision form was incomplete; reload the page."))
        return back(request, assessment)
    data = form.cleaned_data
    label = dict(form.fields["action"].choices)[data["action"]]
    done = attempt(
        request,
        lambda: services.review_decide(
            assessment=assessment,
            by=request.user,
            action=data["action"],
            note=data["note"],
            seen_status=data["seen_status"],
            seen_submission=data["seen_submission"],
        ),
        _("Decision recorded: %(decision)s.") % {"decision": label},
    )
    if not done:
        keep_draft(request, pk, note=data["note"])
    return back(request, assessment)


@require_POST
@login_required
def override(request, pk):
    assessment = access.get_assessment_for_regulator(request.user, pk)
    number = request.POST.get("submission", "")
    if not number.isdigit():
        raise Http404("No such submission.")
    submission = get_object_or_404(assessment.submissions, number=int(number))
    attempt(  # the service checks the tier and the reason and says what is missing
        request,
        lambda: services.tier_override_set(
            submission=submission,
            by=request.user,
            tier=request.POST.get("tier", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Tier override recorded; the computed tier stays beside it."),
    )
    return back(request, assessment)
