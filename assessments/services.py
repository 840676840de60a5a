"""Writes with a business meaning: start, answer, attach evidence, assign, submit.

Each service guards the state, validates, writes in one transaction and enqueues work only
after the transaction commits.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import rules
from assessments.evidence import ACCEPTED_LABEL, MAX_EVIDENCE_BYTES, inspect_upload
from assessments.models import (
    Answer,
    Assessment,
    Evidence,
    Invitation,
    Question,
    QuestionnaireVersion,
    SectionAssignment,
    Submission,
)
from assessments.scoping import outcome_to_json
from assessments.selectors import applicable_questions, missing_answers, scoping_answers
from portal.models import AuditEvent, Membership, Organisation


class AnswerConflict(Exception):
    """Someone else saved this answer after the revision the user started from."""

    def __init__(self, answer: Answer):
        self.answer = answer
        super().__init__(f"answer {answer.pk} is at revision {answer.revision}")


def audit(*, actor, verb, obj, organisation, **data) -> None:
    AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        organisation=organisation,
        data=data,
    )


def require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(
            _("This assessment has been submitted and can no longer be changed."), code="frozen"
        )


@transaction.atomic
def assessment_start(*, organisation: Organisation, by) -> Assessment:
    """Open a new assessment on the questionnaire version that is published now."""
    version = (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if version is None:
        raise ValidationError(_("No questionnaire is published yet."), code="no_questionnaire")
    assessment = Assessment.objects.create(
        organisation=organisation, version=version, created_by=by
    )
    scoping_recompute(assessment=assessment)
    audit(actor=by, verb="assessment.start", obj=assessment, organisation=organisation)
    return assessment


def scoping_recompute(*, assessment: Assessment) -> None:
    """Derive the grade and the active modules from the scoping answers and store them."""
    spec = dict(assessment.version.rules)
    outcome = rules.derive_scoping(spec, scoping_answers(assessment))
    assessment.grade = outcome.grade
    assessment.modules = list(outcome.modules)
    assessment.scoping = outcome_to_json(outcome)
    assessment.save(update_fields=["grade", "modules", "scoping", "updated_at"])


@dataclass(frozen=True)
class AnswerInput:
    level: int | None = None
    value: object = None
    na_reason: str = ""
    comment: str = ""


@transaction.atomic
def answer_save(
    *, assessment: Assessment, question: Question, data: AnswerInput, base_revision: int, by
) -> Answer:
    """Save one answer unless someone else saved it since `base_revision` (then AnswerConflict).

    The row is locked while it is compared and written, so two saves of the same answer are
    serialised and the second one, based on a stale revision, is refused rather than lost.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_editable(assessment)
    if question.version_id != assessment.version_id:
        raise ValidationError(_("This question is not part of this assessment."), code="foreign")
    try:
        with transaction.atomic():
            answer, _created = Answer.objects.select_for_update().get_or_create(
                assessment=assessment, question=question
            )
    except IntegrityError:
        answer = Answer.objects.select_for_update().get(assessment=assessment, question=question)
    if answer.revision != base_revision:
        raise AnswerConflict(answer)
    answer.level, answer.value = data.level, data.value
    answer.na_reason, answer.comment = data.na_reason, data.comment
    answer.revision += 1
    answer.updated_by = by
    answer.full_clean(exclude=["assessment", "question"])
    answer.save()
    if question.is_scoping:
        scoping_recompute(assessment=assessment)
    return answer


@transaction.atomic
def evidence_attach(*, answer: Answer, upload, by) -> Evidence:
    """Store an evidence file after checking its size and its real type."""
    require_editable(answer.assessment)
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    inspected = inspect_upload(upload)
    if inspected is None:
        raise ValidationError(
            _("This file is not one of the accepted types (%(types)s), whatever its name says.")
            % {"types": ACCEPTED_LABEL},
            code="type",
        )
    evidence = Evidence(
        answer=answer,
        original_name=upload.name[:255],
        sha256=inspected.sha256,
        size=inspected.size,
        content_type=inspected.content_type,
        uploaded_by=by,
    )
    evidence.file.save(inspected.sha256, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def section_assign(*, assessment: Assessment, section, user, by) -> SectionAssignment | None:
    """Assign a section to a member who can write (None clears the assignment)."""
    require_editable(assessment)
    if section.version_id != assessment.version_id:
        raise ValidationError(_("This section is not part of this assessment."), code="foreign")
    if user is None:
        SectionAssignment.objects.filter(assessment=assessment, section=section).delete()
        return None
    membership = Membership.objects.filter(user=user, organisation=assessment.organisation).first()
    if membership is None or not membership.can_write:
        raise ValidationError(
            _("Sections can only be assigned to owners and editors."), code="role"
        )
    assignment, _created = SectionAssignment.objects.update_or_create(
        assessment=assessment, section=section, defaults={"user": user}
    )
    return assignment


@transaction.atomic
def member_invite(
    *, organisation: Organisation, email: str, role: str, by, site_url: str = ""
) -> Invitation:
    """Invite someone by e-mail; the link (on `site_url`) adds them with the role."""
    from django.core.mail import send_mail
    from django.urls import reverse

    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email}, code="member")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
    )
    link = site_url.rstrip("/") + reverse("assessments:invitation_accept", args=[invitation.token])
    message = _(
        "%(name)s invites you to assess %(organisation)s on Hegui. Open %(link)s to join."
    ) % {
        "name": by.get_short_name(),
        "organisation": organisation.name,
        "link": link,
    }
    transaction.on_commit(
        lambda: send_mail(_("Invitation to Hegui"), message, None, [email], fail_silently=False)
    )
    return invitation


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Submission:
    """Freeze a numbered snapshot and enqueue scoring once the transaction has committed.

    Refused (ValidationError listing what is missing) when an applicable question is not
    answered or an N/A has no reason.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_editable(assessment)
    missing = missing_answers(assessment)
    if missing:
        raise ValidationError(
            _("%(n)d question(s) still need an answer: %(codes)s")
            % {"n": len(missing), "codes": ", ".join(q.code for q in missing[:20])},
            code="incomplete",
        )
    submission = submission_freeze(assessment=assessment, by=by)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save(update_fields=["status", "updated_at"])
    audit(actor=by, verb="assessment.submit", obj=submission, organisation=assessment.organisation)
    transaction.on_commit(lambda: enqueue_scoring(submission.pk))
    return submission


def enqueue_scoring(submission_id: int) -> None:
    """Hand the submission to the worker. If the broker is down, the periodic sweep retries."""
    import logging

    from assessments import tasks

    try:
        tasks.score_submission.delay(submission_id)
    except Exception:  # noqa: BLE001 - a broker outage must not lose an accepted submission
        logging.getLogger(__name__).warning(
            "broker unavailable; submission %s left for the sweep", submission_id, exc_info=True
        )
        return
    Submission.objects.filter(pk=submission_id).update(scoring_enqueued_at=timezone.now())


def submission_freeze(*, assessment: Assessment, by) -> Submission:
    from assessments.selectors import cited_editions

    questions = applicable_questions(assessment)
    answers = {
        a.question_id: a
        for a in assessment.answers.prefetch_related("evidence").filter(question__in=questions)
    }
    frozen = {q.code: frozen_answer(answers.get(q.pk)) for q in questions}
    number = (assessment.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    return Submission.objects.create(
        assessment=assessment,
        number=number,
        version=assessment.version,
        grade=assessment.grade,
        scoping={**assessment.scoping, "grade": assessment.grade, "modules": assessment.modules},
        answers=frozen,
        editions=cited_editions(questions, on=timezone.localdate(now)),
        submitted_by=by,
        submitted_at=now,
    )


def frozen_answer(answer: Answer | None) -> dict:
    if answer is None:
        return {}
    return {
        "level": answer.level,
        "value": answer.value,
        "na_reason": answer.na_reason,
        "comment": answer.comment,
        "evidence": [e.sha256 for e in answer.evidence.all()],
    }


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation with the invited role (an existing membership keeps its role)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit(
        actor=user, verb="invitation.accept", obj=membership, organisation=invitation.organisation
    )
    return membership


@transaction.atomic
def invitation_sign_up(*, invitation: Invitation, full_name: str, password: str):
    """Create the invited person's account and accept the invitation in one step."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=invitation.email, password=password, full_name=full_name.strip()
    )
    invitation_accept(invitation=invitation, user=user)
    return user
