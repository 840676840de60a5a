"""The organisation member's journey: start, scoping, sections, autosave, evidence, submit."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import (
    answer_rows,
    card_parts,
    content_cache,
    fragments,
    law_changes,
    selectors,
    services,
)
from assessments.forms import (
    AnswerForm,
    AssignForm,
    AttestationForm,
    EvidenceForm,
    InviteForm,
    SignUpForm,
    initial_for,
)
from assessments.models import Assessment, Invitation, Question
from assessments.scoping import outcome_for
from duedates import selectors as due_selectors
from portal import access, page_cache
from portal.audit import audit_record
from portal.models import Membership


@login_required
def assessment_list(request):
    organisations = access.organisation_roles(request.user)  # one query in plain SQL
    return page_cache.serve(
        request,
        "assessments:list",
        lambda: render_assessment_list(request),
        organisations=[pk for pk, _role in organisations],
        parts=tuple(organisations),
    )


def render_assessment_list(request):
    assessments = selectors.assessments_for_list(
        access.assessments_for_user(request.user)
        .exclude(status=Assessment.Status.SUPERSEDED)  # reachable from its successor
        .with_context()
    )
    memberships = access.memberships_for_user(request.user).order_by("organisation__name")
    return render(
        request, "assessments/list.html", {"assessments": assessments, "memberships": memberships}
    )


@require_POST
@login_required
def assessment_start(request, organisation_pk):
    organisation = access.get_organisation_for_user(request.user, organisation_pk, write=True)
    try:
        assessment = services.assessment_start(organisation=organisation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:list")
    return redirect("assessments:section", pk=assessment.pk, module="SCOPING")


def member_page(request, pk, view: str, render):
    """A member page of assessment `pk`: 404 unless the user belongs to its organisation, then
    from the page cache or `render(assessment)` with the assessment read in full."""
    if not page_cache.cacheable(request):
        return render(access.get_assessment_for_user(request.user, pk))
    membership = access.assessment_membership(request.user, pk)
    if membership is None:
        raise Http404("No such assessment.")
    organisation_id, role = membership
    return page_cache.serve(
        request,
        view,
        lambda: render(access.get_assessment_for_user(request.user, pk)),
        organisations=[organisation_id],
        parts=(role,),
    )


@login_required
def assessment_detail(request, pk):
    return member_page(
        request,
        pk,
        "assessments:detail",
        lambda assessment: render_assessment_detail(request, assessment),
    )


def render_assessment_detail(request, assessment):
    if request.GET.get("fragment") == "scoping":
        return render(
            request,
            "assessments/partials/_scoping_outcome.html",
            {"assessment": assessment, "outcome": outcome_for(assessment)},
        )
    questions = selectors.applicable_questions(assessment)
    answers = selectors.answers_by_question(assessment)
    rows = selectors.progress(assessment, questions, answers)
    missing, evidence_missing = [], []
    if assessment.is_editable:
        missing = selectors.missing_answers(assessment, questions, answers)
        evidence_missing = selectors.evidence_missing_on_overview(assessment, questions, answers)
    answered = sum(row.answered for row in rows)
    total = sum(row.total for row in rows)
    writers = Membership.objects.filter(
        organisation=assessment.organisation, role__in=["owner", "editor"]
    ).select_related("user")
    submissions = list(assessment.submissions.select_related("submitted_by", "result"))
    return render(
        request,
        "assessments/detail.html",
        {
            **review_context(assessment, submissions),
            **upgrade_context(assessment),
            "assessment": assessment,
            "outcome": outcome_for(assessment),
            "rows": rows,
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
            "missing": missing,
            "evidence_missing": evidence_missing,
            "resume": missing[0] if missing else None,
            "submissions": submissions,
            "writers": writers,
            "is_owner": assessment.current_membership.role == Membership.Role.OWNER,
            "due": due_selectors.overview_panel(assessment, questions, answers, submissions),
        },
    )


def review_context(assessment, submissions) -> dict:
    """The review loop on the organisation's overview: status, decision, tier and override,
    the regulator's comments with the replies, and what the member may do about them."""
    from assessments import workflow
    from supervision import selectors as review_selectors

    if not submissions:
        return {}
    state = review_selectors.review_state(assessment)
    result = review_selectors.stored_result(submissions[0])  # the latest, loaded with its result
    tiers = selectors.tier_labels(
        {
            "tier": result.overall_tier if result else None,
            "override_tier": state.override.tier if state.override else None,
        }
    )
    status = assessment.status
    return {
        "review": state,
        "tiers": tiers,
        "latest_submission": submissions[0],
        "comments": review_selectors.comments_with_replies(assessment),
        "can_reply": assessment.current_membership.can_write
        and status in (workflow.CHANGES_REQUESTED, workflow.REOPENED),
        "can_reopen": status == workflow.CHANGES_REQUESTED
        and assessment.current_membership.role == Membership.Role.OWNER,
    }


def upgrade_context(assessment) -> dict:
    """On a draft's overview: the offer to move it to a newer published version (the preview
    for an owner, a notice for the others); on a moved draft, its successor; on the successor,
    what the move left to do."""
    is_owner = assessment.current_membership.role == Membership.Role.OWNER
    if assessment.status == Assessment.Status.SUPERSEDED:
        return {"successor": Assessment.objects.filter(upgraded_from=assessment).first()}
    context = {"moved": selectors.upgrade_summary(assessment)}
    target = selectors.upgrade_target(assessment)
    if target is not None:
        preview = selectors.upgrade_preview(assessment, target) if is_owner else None
        context["upgrade"] = {"target": target, "preview": selectors.preview_rows(preview)}
    return context


def section_or_404(assessment, module, sections=None):
    """The section of `module` (from `sections` when the caller has them already)."""
    if sections is None:
        section = assessment.version.sections.filter(module=module).first()
    else:
        section = next((s for s in sections if s.module == module), None)
    if section is None or (module != "SCOPING" and module not in assessment.modules):
        raise Http404("No such section in this assessment.")
    return section


def question_context(
    assessment,
    question,
    answer,
    *,
    form=None,
    state="",
    conflict=None,
    can_write=True,
    headers=None,
    levels=None,
    with_form=True,
):
    if form is None and with_form:
        form = blank_form(question, answer)
    return {
        "assessment": assessment,
        "question": question,
        "answer": answer,
        "form": form,
        "head": fragments.question_header(assessment.version, question, headers),
        "evidence_state": selectors.evidence_state(question, answer, assessment.grade, levels),
        "state": state,
        "conflict": conflict,
        "can_write": can_write and assessment.is_editable,
    }


def blank_form(question, answer) -> AnswerForm:
    """The answer form of a question as stored (unbound)."""
    return AnswerForm(
        question=question, initial=initial_for(question, answer), prefix=question.code
    )


@login_required
def section_page(request, pk, module):
    return member_page(
        request,
        pk,
        "assessments:section",
        lambda assessment: render_section_page(request, assessment, module),
    )


def render_section_page(request, assessment, module):
    all_sections = list(assessment.version.sections.all())
    section = section_or_404(assessment, module, all_sections)
    answers = {
        a.question_id: a
        for a in assessment.answers.filter(question__section=section)
        .select_related("updated_by")
        .prefetch_related("evidence")
    }
    can_write = assessment.current_membership.can_write
    questions = selectors.section_questions(assessment, section)
    comments = selectors.review_comments_by_question(assessment)
    renewals = selectors.renewal_notes(assessment)
    law_notices = law_changes.question_notices(assessment)
    headers = fragments.question_headers(assessment.version, section)
    levels = selectors.raw_levels(questions, answers)
    items = [
        {
            **question_context(
                assessment,
                q,
                answers.get(q.pk),
                can_write=can_write,
                headers=headers,
                levels=levels,
                with_form=False,
            ),
            "review_comments": comments.get(q.code, []),
            "renewal": renewals.get(q.code),
            "law_notices": law_notices.get(q.pk, []),
        }
        for q in questions
    ]
    blocks = fragments.question_blocks(
        request, items, lambda item: blank_form(item["question"], item["answer"])
    )
    for item, html in zip(items, blocks, strict=True):
        item["html"] = html
    previous = None
    can_write = can_write and assessment.is_editable
    if module == "SCOPING" and can_write:
        previous = selectors.previous_scoping(assessment, questions, answers)
    sections = [s for s in all_sections if s.module == "SCOPING" or s.module in assessment.modules]
    done = sum(1 for item in items if item["answer"] and item["answer"].is_answered)
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": assessment,
            "section": section,
            "items": items,
            "sections": sections,
            "outcome": outcome_for(assessment),
            "done": done,
            "previous": previous,
            "can_write": can_write,
        },
    )


def question_or_404(assessment, code) -> Question:
    """A question of the assessment's version, with its section, choices and citations (from
    the per-process content cache: no query once the version has been read)."""
    question = next(
        (q for q in content_cache.version_questions(assessment.version) if q.code == code), None
    )
    if question is None:
        raise Http404("No such question in this assessment.")
    return question


@require_POST
@login_required
def answer_save(request, pk, code):
    """Autosave one answer (htmx). 200 saved, 409 someone else saved first, 422 invalid."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    question = question_or_404(assessment, code)
    form = AnswerForm(request.POST, question=question, prefix=question.code)
    # The card says it shows nothing a save must clear (no error, conflict or refusal): a
    # successful save then changes only its revision, its "saved" line, its evidence badge and
    # the section counter, sent alone (assessments/card_parts.py); anything else re-renders
    # the whole card.
    brief = bool(request.htmx) and request.POST.get(f"{question.code}-tidy") == "1"
    context, status = answer_save_outcome(request.user, assessment, question, form, brief=brief)
    events = ["scoping-changed"] if status == 200 and question.is_scoping else []
    if status == 200 and brief:
        response = HttpResponse(
            card_parts.answer_saved(
                question, context["answer"], context["evidence_state"], context["section_progress"]
            )
        )
        response["HX-Reswap"] = "none"  # the out-of-band pieces only
        events.append("answer-saved")
    else:
        response = render(request, "assessments/partials/_question.html", context, status=status)
    if events:
        response["HX-Trigger"] = ", ".join(events)  # the grade panel reloads on scoping-changed
    return response


def answer_save_outcome(user, assessment, question, form, *, brief=False) -> tuple[dict, int]:
    """Validate and save; the partial's context and the status code that tells htmx what to do.
    `brief`: a successful save's context holds only what card_parts.answer_saved shows."""
    if not form.is_valid():
        answer = assessment.answers.filter(question=question).first()
        return question_context(assessment, question, answer, form=form, state="invalid"), 422
    # The section counter's questions: the save reads their answers in the same statement.
    counted = [q.pk for q in selectors.section_questions(assessment, question.section)]
    try:
        answer = services.answer_save(
            assessment=assessment,
            question=question,
            data=form.to_input(),
            base_revision=form.cleaned_data["revision"],
            by=user,
            read_answered=counted,
        )
    except services.AnswerConflict as conflict:
        context = question_context(
            assessment, question, conflict.answer, state="conflict", conflict=conflict.answer
        )
        return context, 409
    except ValidationError as error:
        answer = assessment.answers.filter(question=question).first()
        context = question_context(assessment, question, answer, state="refused")
        context["error"] = " ".join(error.messages)
        return context, 422
    if brief:  # the badge only: whether the answer has files is known from its save
        context = {
            "answer": answer,
            "evidence_state": selectors.evidence_state(question, answer, assessment.grade),
        }
    else:
        # The badge and the list both read the files: one query for both (none when the
        # answer's save saw no files).
        answer_rows.load_evidence(answer)
        context = question_context(assessment, question, answer, state="saved")
    context["section_progress"] = selectors.section_progress(
        assessment, question.section, saved=answer
    )
    return context, 200


@require_POST
@login_required
def evidence_upload(request, pk, code):
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    question = question_or_404(assessment, code)
    form = EvidenceForm(request.POST, request.FILES)
    answer = assessment.answers.filter(question=question).first()
    status, error = 200, ""
    if not form.is_valid():
        status, error = 422, " ".join(e for errors in form.errors.values() for e in errors)
    elif answer is None:
        status, error = 422, _("Answer the question before attaching evidence.")
    else:
        try:
            services.evidence_attach(
                answer=answer, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as refused:
            status, error = 422, " ".join(refused.messages)
    # A refused file leaves the answer as it was: the message goes under the evidence, and
    # nothing says "not saved" about the answer.
    context = question_context(assessment, question, answer, state="evidence" if not error else "")
    context["evidence_error"] = error
    return render(request, "assessments/partials/_question.html", context, status=status)


@require_POST
@login_required
def evidence_delete(request, pk, evidence_pk):
    """Remove an evidence file while the assessment is a draft (members who can write)."""
    from assessments.models import Evidence

    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    evidence = get_object_or_404(
        Evidence.objects.select_related("answer__question__section"),
        pk=evidence_pk,
        answer__assessment=assessment,
    )
    evidence.answer.assessment = assessment
    answer, question = evidence.answer, evidence.answer.question
    status, error = 200, ""
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as refused:
        status, error = 422, " ".join(refused.messages)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(
            f"{reverse('assessments:section', args=[pk, question.module])}#q-{question.code}"
        )
    context = question_context(assessment, question, answer, state="evidence" if not error else "")
    context["evidence_error"] = error
    return render(request, "assessments/partials/_question.html", context, status=status)


def is_regulator_reading(user, organisation_id) -> bool:
    """A regulator (not a member of the organisation) reads its data: that is audited."""
    if not access.is_regulator(user):
        return False
    return not access.memberships_for_user(user).filter(organisation_id=organisation_id).exists()


@require_GET
@login_required
def evidence_download(request, evidence_pk):
    evidence = access.get_evidence_for_user(request.user, evidence_pk)
    assessment = evidence.answer.assessment
    if is_regulator_reading(request.user, assessment.organisation_id):
        audit_record(
            actor=request.user,
            verb="evidence.download",
            obj=evidence,
            organisation=assessment.organisation,
            assessment=assessment.pk,
            sha256=evidence.sha256,
        )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _query_day(request, name):
    """An optional YYYY-MM-DD query parameter: None when absent or empty, else the date;
    a value that is not one raises ValueError (refused by the caller)."""
    import datetime

    value = request.GET.get(name, "").strip()
    return datetime.date.fromisoformat(value) if value else None


@require_GET
def article_text(request, code, number):
    """The text of a cited article, shown on demand next to a question.

    ``written`` is the effective date of the edition the citation was written against (the
    question's verified edition), ``on`` the day to read it on (default today: a submission's
    page passes its own date). The citation is resolved through the article lineage, so a
    2016-era citation of CSL Art. 21 shows today's Art. 23, and a citation of today's Art.
    23 read on a 2020 date shows the 2016 Art. 21."""
    from django.http import HttpResponseBadRequest
    from django.utils import timezone
    from django.utils.translation import get_language

    from regulations import selectors as regulation_selectors
    from regulations.models import KeyPoint

    try:
        written = _query_day(request, "written")
        on = _query_day(request, "on") or timezone.localdate()
    except ValueError:
        return HttpResponseBadRequest(_("Give the dates as YYYY-MM-DD."))
    resolved = regulation_selectors.resolve_citation(code, number, written, on)
    article = resolved.articles[0] if resolved.articles else None
    latest = regulation_selectors.resolve_citation(code, number, written, timezone.localdate())
    point = KeyPoint.objects.filter(
        regulation__code=code, article_number__in=latest.numbers or [number]
    ).first()
    key_point = point.text_for(get_language()) if point else ""
    upcoming = regulation_selectors.upcoming_editions(code, timezone.localdate())
    return render(
        request,
        "assessments/partials/_article.html",
        {
            "code": code,
            "number": number,
            "article": article,
            "resolved": resolved,
            "key_point": key_point,
            "upcoming": upcoming,
        },
    )


@require_POST
@login_required
def section_assign(request, pk, module):
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    access.require_owner(request.user, assessment.organisation)
    section = section_or_404(assessment, module)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member from the list."))
        return redirect(assessment)
    user_id = form.member_id()
    member = None
    if user_id:
        membership = (
            Membership.objects.filter(organisation=assessment.organisation, user_id=user_id)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise Http404("No such member.")
        member = membership.user
    try:
        services.section_assign(
            assessment=assessment, section=section, user=member, by=request.user
        )
        messages.success(request, _("Assignment saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(assessment)


@login_required
def assessment_submit(request, pk):
    """The summary and the attestation (GET), then the frozen snapshot (POST); owners only."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    access.require_owner(request.user, assessment.organisation)
    if not assessment.is_editable:
        messages.info(request, _("This assessment cannot be submitted in its current state."))
        return redirect(assessment)
    initial = {"name": request.user.full_name}
    form = AttestationForm(
        request.POST or None, initial=initial, organisation=assessment.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.assessment_submit(
                assessment=assessment, by=request.user, attestation=form.attestation()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            # No flash message: the result page says itself that scoring is in progress.
            return redirect("assessments:submission", pk=submission.pk)
    context = {
        "assessment": assessment,
        "form": form,
        "summary": selectors.submit_summary(assessment),
        "resubmission": assessment.status == Assessment.Status.REOPENED,
    }
    return render(request, "assessments/submit.html", context)


@require_POST
@login_required
def assessment_reopen(request, pk):
    """Changes requested → reopened: the owner takes the assessment back to change it."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    access.require_owner(request.user, assessment.organisation)
    try:
        services.assessment_reopen(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Reopened: change what was asked, answer the comments, then resubmit.")
        )
    return redirect(assessment)


@require_POST
@login_required
def scoping_reuse(request, pk):
    """Apply the organisation's last submitted scoping answers, on the member's request."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    submission = selectors.previous_submission(assessment)
    if submission is None:
        raise Http404("No earlier submission.")
    try:
        services.scoping_apply_previous(
            assessment=assessment, submission=submission, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scoping answers of the last submission are applied."))
    return redirect("assessments:section", pk=assessment.pk, module="SCOPING")


@require_POST
@login_required
def assessment_upgrade(request, pk):
    """Move a draft to the newer published questionnaire version (owners only)."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    access.require_owner(request.user, assessment.organisation)
    successor = Assessment.objects.filter(upgraded_from=assessment).first()
    if successor is not None:  # a second click: the move is done already
        messages.info(request, _("This draft has already been moved to a newer version."))
        return redirect(successor)
    target = selectors.upgrade_target(assessment)
    if target is None:
        messages.error(request, _("There is no newer questionnaire version to move this draft to."))
        return redirect(assessment)
    try:
        moved = services.assessment_upgrade(
            assessment=assessment, to_version=target, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assessment)
    messages.success(
        request,
        _("The draft now uses version %(number)s. Questions marked below need a new answer.")
        % {"number": target.number},
    )
    return redirect(moved)


@login_required
def member_invite(request, organisation_pk):
    organisation = access.get_organisation_for_user(request.user, organisation_pk)
    access.require_owner(request.user, organisation)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_invite(
                organisation=organisation,
                by=request.user,
                site_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("assessments:invite", organisation_pk=organisation.pk)
    members = organisation.memberships.select_related("user").order_by("role", "user__email")
    pending = organisation.invitations.pending().order_by("expires_at")
    return render(
        request,
        "assessments/invite.html",
        {
            "organisation": organisation,
            "form": form,
            "members": members,
            "pending": pending,
            "invitation_days": settings.INVITATION_DAYS,
        },
    )


@require_POST
@login_required
def invitation_revoke(request, organisation_pk, invitation_pk):
    """The owner withdraws a pending invitation: its link stops working."""
    organisation = access.get_organisation_for_user(request.user, organisation_pk)
    access.require_owner(request.user, organisation)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("assessments:invite", organisation_pk=organisation.pk)


def invitation_accept(request, token):
    """Join an organisation from an e-mailed link; someone new sets a password first.

    A link that was used, revoked or has expired answers 410 with the reason; the person who
    used it is sent to their assessments instead.
    """
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if invitation.state == "accepted" and is_invitee(request.user, invitation):
        messages.info(
            request, _("You are a member of %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("assessments:list")
    refusal = services.invitation_refusal(invitation)
    if refusal is not None:
        return invitation_gone(request, invitation, refusal)
    if not request.user.is_authenticated:
        return invitation_sign_up(request, invitation)
    if not is_invitee(request.user, invitation):
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            return invitation_gone(request, invitation, error)
        messages.success(
            request, _("You joined %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("assessments:list")
    return render(request, "assessments/invitation.html", {"invitation": invitation})


def is_invitee(user, invitation) -> bool:
    return user.is_authenticated and user.email.lower() == invitation.email


def invitation_gone(request, invitation, refusal):
    context = {"invitation": invitation, "refusal": " ".join(refusal.messages)}
    return render(request, "assessments/invitation.html", context, status=410)


def invitation_sign_up(request, invitation):
    from django.contrib.auth import get_user_model, login
    from django.contrib.auth.views import redirect_to_login

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        return redirect_to_login(request.get_full_path())
    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_sign_up(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            # Someone signed up with this invitation in the meantime (a double submit).
            messages.info(request, " ".join(error.messages))
            return redirect_to_login(request.get_full_path())
        login(request, user, backend="portal.auth.EmailBackend")
        messages.success(
            request, _("You joined %(name)s.") % {"name": invitation.organisation.name}
        )
        return redirect("assessments:list")
    return render(request, "assessments/invitation.html", {"invitation": invitation, "form": form})
