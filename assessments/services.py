"""Writes with a business meaning: start, answer, attach evidence, assign, submit.

Each service guards the state, validates, writes in one transaction and enqueues work only
after the transaction commits.
"""

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from assessments import answer_rows, rules, scoring, workflow
from assessments.evidence import (
    ACCEPTED_LABEL,
    MAX_EVIDENCE_BYTES,
    MAX_ZIP_ENTRIES,
    PackageRefused,
    inspect_upload,
)
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
from portal.audit import audit_record as audit
from portal.models import Membership, Organisation


class AnswerConflict(Exception):
    """Someone else saved this answer after the revision the user started from."""

    def __init__(self, answer: Answer):
        self.answer = answer
        super().__init__(f"answer {answer.pk} is at revision {answer.revision}")


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
    audit(
        actor=by,
        verb="assessment.start",
        obj=assessment,
        organisation=organisation,
        assessment=assessment.pk,
    )
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


def answer_save(
    *,
    assessment: Assessment,
    question: Question,
    data: AnswerInput,
    base_revision: int,
    by,
    read_answered: Collection[int] = (),
) -> Answer:
    """Save one answer unless someone else saved it since `base_revision` (then AnswerConflict).

    The common case, an existing answer of an ordinary question saved over its current
    revision in an assessment that can be changed, is one statement (answer_rows.
    save_if_current): the autosave is the portal's most frequent write. Anything else (the
    first save of an answer, a stale revision, a submitted assessment, a scoping question)
    takes the locked path, which also says what went wrong.

    `read_answered`: question ids whose answered state the caller will show; the one
    statement reads them too (the answer's `answered_among`, see save_if_current).
    """
    if question.version_id != assessment.version_id:
        raise ValidationError(_("This question is not part of this assessment."), code="foreign")
    if not question.is_scoping:
        answer = Answer(assessment=assessment, question=question)
        answer.revision = base_revision + 1
        answer_validate(answer, data, by)
        stored = answer_rows.save_if_current(answer, base_revision, read_answered=read_answered)
        if stored is not None:
            return stored
    return answer_save_locked(
        assessment=assessment, question=question, data=data, base_revision=base_revision, by=by
    )


def answer_validate(answer: Answer, data: AnswerInput, by) -> None:
    """Put `data` on `answer` and check it as the model would, without a query."""
    answer.level, answer.value = data.level, data.value
    answer.na_reason, answer.comment = data.na_reason, data.comment
    answer.updated_by = by
    # The level's range is the table's one check constraint: checked here, without the query
    # that validating constraints through the ORM would cost on every autosave.
    if answer.level is not None and not 0 <= answer.level <= scoring.MAX_LEVEL:
        raise ValidationError(_("A level runs from 0 to 3."), code="level")
    answer.full_clean(exclude=["assessment", "question", "updated_by"], validate_constraints=False)


@transaction.atomic
def answer_save_locked(
    *, assessment: Assessment, question: Question, data: AnswerInput, base_revision: int, by
) -> Answer:
    """answer_save with locks: the assessment is locked first, as submitting it does, so no
    save lands in an assessment that has just been submitted; the answer's row is locked while
    it is compared and written, so two saves of the same answer are serialised and the second
    one, based on a stale revision, is refused rather than lost. A scoping answer re-derives
    the grade and modules."""
    if question.is_scoping:
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    else:
        answer_rows.lock_assessment(assessment)  # refreshes its status under the lock
    require_editable(assessment)
    answer = answer_rows.lock_answer(assessment.pk, question.pk)
    if answer is None:  # the first save of this answer: create it, or meet a concurrent one
        try:
            with transaction.atomic():
                answer = Answer.objects.create(assessment=assessment, question=question)
            answer.has_evidence = False  # a row just made has no files yet
        except IntegrityError:
            answer = answer_rows.lock_answer(assessment.pk, question.pk)
    if answer.revision != base_revision:
        raise AnswerConflict(answer)
    answer.revision += 1
    answer_validate(answer, data, by)
    answer_rows.write(answer)
    if question.is_scoping:
        scoping_recompute(assessment=assessment)
    return answer


@transaction.atomic
def evidence_attach(*, answer: Answer, upload, by) -> Evidence:
    """Store an evidence file after checking its size and its real type."""
    require_editable(answer.assessment)
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    try:
        inspected = inspect_upload(upload)
    except PackageRefused as refused:
        message = str(PACKAGE_REFUSALS[refused.code]) % {"n": MAX_ZIP_ENTRIES}
        raise ValidationError(message, code="package") from refused
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


def evidence_delete(*, evidence: Evidence, by) -> None:
    """Remove an evidence file from a draft's answer (recorded in the audit log). The stored
    file goes after the commit, and only when no other evidence row points to it."""
    assessment = evidence.answer.assessment
    require_editable(assessment)
    name = evidence.file.name
    with transaction.atomic():
        audit(
            actor=by,
            verb="evidence.delete",
            obj=evidence,
            organisation=assessment.organisation,
            assessment=assessment.pk,
            question=evidence.answer.question.code,
            name=evidence.original_name,
            sha256=evidence.sha256,
        )
        evidence.delete()
        if not Evidence.objects.filter(file=name).exists():
            storage = evidence.file.storage
            transaction.on_commit(lambda: storage.delete(name))


PACKAGE_REFUSALS = {
    "entries": _lazy("This document has more than %(n)d parts; such a file is refused as unsafe."),
    "expands": _lazy("This document would expand to more than 200 MB; it is refused as unsafe."),
}


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
    """Invite someone by e-mail; the link (on `site_url`) adds them with the role until it
    expires (INVITATION_DAYS). A pending invitation to the same address is replaced."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email}, code="member")
    # One owner's invitations at a time, so two re-invitations never leave two live links.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    now = timezone.now()
    replaced = Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=by)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    audit(
        actor=by,
        verb="invitation.send",
        obj=invitation,
        organisation=organisation,
        email=email,
        role=role,
        replaced=replaced,
    )
    link = site_url.rstrip("/") + reverse("assessments:invitation_accept", args=[invitation.token])
    message = _(
        "%(name)s invites you to assess %(organisation)s on Hegui. Open %(link)s to join "
        "before %(expires)s."
    ) % {
        "name": by.get_short_name(),
        "organisation": organisation.name,
        "link": link,
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
    }
    transaction.on_commit(
        lambda: send_mail(_("Invitation to Hegui"), message, None, [email], fail_silently=False)
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at, invitation.revoked_by = timezone.now(), by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit(
            actor=by,
            verb="invitation.revoke",
            obj=invitation,
            organisation=invitation.organisation,
            email=invitation.email,
            role=invitation.role,
        )
    return invitation


INVITATION_REFUSALS = {
    "accepted": _lazy("This invitation has already been used. Sign in to continue."),
    "revoked": _lazy("This invitation was withdrawn. Ask the organisation's owner for a new one."),
    "expired": _lazy("This invitation has expired. Ask the organisation's owner for a new one."),
}


def invitation_refusal(invitation: Invitation) -> ValidationError | None:
    """Why the invitation's link no longer works (None while it is pending)."""
    state = invitation.state
    if state == "pending":
        return None
    return ValidationError(str(INVITATION_REFUSALS[state]), code=state)


REFUSALS = {
    "draft": _lazy("This assessment has not been submitted yet."),
    "already_decided": _lazy("A final decision has already been made on this submission."),
    "no_request": _lazy("No changes were requested on this assessment."),
    "reopen_first": _lazy("Reopen the assessment before submitting it again."),
    "with_organisation": _lazy(
        "Changes were requested: the organisation has to resubmit before a new decision."
    ),
    "not_allowed": _lazy("This step is not possible in the assessment's current state."),
    "unknown_action": _lazy("Unknown step."),
}


def workflow_step(action: str, state: str) -> str:
    """The next state (assessments/workflow.py), or a ValidationError in the user's language."""
    try:
        return workflow.transition(action, state)
    except workflow.InvalidTransition as refused:
        raise ValidationError(str(REFUSALS[refused.code]), code=refused.code) from refused


@dataclass(frozen=True)
class Attestation:
    """What the submitter confirms, in their own name and role; frozen with the snapshot."""

    name: str
    role: str
    statement: str

    def cleaned(self) -> "Attestation":
        name, role, statement = self.name.strip(), self.role.strip(), self.statement.strip()
        if not (name and role and statement):
            raise ValidationError(
                _("Confirm the statement with your name and role before submitting."),
                code="attestation",
            )
        return Attestation(name[:150], role[:150], statement[:2000])


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by, attestation: Attestation) -> Submission:
    """Freeze a numbered snapshot and enqueue scoring once the transaction has committed.

    A draft becomes a first submission, a reopened assessment a resubmission. Refused
    (ValidationError) without an attestation, in any other state, or when an applicable
    question is not answered or an N/A has no reason (the message lists them).
    """
    attestation = attestation.cleaned()
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    action = workflow.submit_action(assessment.status)
    new_status = workflow_step(action, assessment.status)
    missing = missing_answers(assessment)
    if missing:
        raise ValidationError(
            _("%(n)d question(s) still need an answer: %(codes)s")
            % {"n": len(missing), "codes": ", ".join(q.code for q in missing[:20])},
            code="incomplete",
        )
    submission = submission_freeze(assessment=assessment, by=by, attestation=attestation)
    assessment.status = new_status
    assessment.save(update_fields=["status", "updated_at"])
    audit(
        actor=by,
        verb=f"assessment.{action}",
        obj=submission,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        number=submission.number,
    )
    transaction.on_commit(lambda: after_submit(submission.pk))
    return submission


def after_submit(submission_id: int) -> None:
    """Once committed: scoring first (it must never wait on mail), then the regulators."""
    enqueue_scoring(submission_id)
    notify_submitted(submission_id)


def notify_submitted(submission_id: int) -> None:
    """Tell the jurisdiction's regulators (a failure to queue mail never undoes a submission)."""
    import logging

    from notifications import events

    try:
        events.submission_received(submission_id)
    except Exception:  # noqa: BLE001 - the submission is committed; mail is best effort here
        logging.getLogger(__name__).warning(
            "could not queue notifications for submission %s", submission_id, exc_info=True
        )


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by) -> Assessment:
    """Changes requested → reopened: the owner takes the assessment back to change it.

    The answers are reset to the latest snapshot (so work starts from exactly what the
    regulator saw); the frozen submission and its result are not touched.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    new_status = workflow_step(workflow.REOPEN, assessment.status)
    latest = assessment.submissions.order_by("-number").first()
    answers_restore(assessment=assessment, snapshot=latest.answers, by=by)
    assessment.status = new_status
    assessment.save(update_fields=["status", "updated_at"])
    audit(
        actor=by,
        verb="assessment.reopen",
        obj=assessment,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        number=latest.number,
    )
    return assessment


def answers_restore(*, assessment: Assessment, snapshot: dict, by) -> None:
    """Make the live answers equal to a snapshot's (level, value, N/A reason, comment).

    Evidence files stay attached to their answers (they are not deleted by a reopen); a
    question no longer in the snapshot keeps its live answer.
    """
    in_version = Question.objects.filter(version_id=assessment.version_id, code__in=snapshot)
    questions = {q.code: q for q in in_version}
    live = {a.question_id: a for a in assessment.answers.filter(question__in=questions.values())}
    for code, frozen in snapshot.items():
        question = questions.get(code)
        if question is None or not frozen:
            continue
        answer = live.get(question.pk) or Answer(assessment=assessment, question=question)
        fields = ("level", "value", "na_reason", "comment")
        if answer.pk and all(getattr(answer, f) == frozen.get(f) for f in fields):
            continue
        answer.level, answer.value = frozen.get("level"), frozen.get("value")
        answer.na_reason, answer.comment = frozen.get("na_reason", ""), frozen.get("comment", "")
        answer.revision += 1
        answer.updated_by = by
        answer.save()


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


def submission_freeze(*, assessment: Assessment, by, attestation: Attestation) -> Submission:
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
        attestation={
            "name": attestation.name,
            "role": attestation.role,
            "statement": attestation.statement,
            "user": by.pk,
            "email": by.email,
            "at": now.isoformat(),
        },
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
    """Join the organisation with the invited role (an existing membership keeps its role).

    The invitation's row is locked, so concurrent accepts are serialised: the first joins and
    is audited, a repeat by the same person returns the membership, anything else is refused
    (ValidationError) once the invitation is used, revoked or expired.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    organisation = invitation.organisation
    if invitation.accepted_at is not None and user.email.lower() == invitation.email:
        membership = Membership.objects.filter(user=user, organisation=organisation).first()
        if membership is not None:
            return membership
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise refusal
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit(actor=user, verb="invitation.accept", obj=membership, organisation=organisation)
    return membership


@transaction.atomic
def invitation_sign_up(*, invitation: Invitation, full_name: str, password: str):
    """Create the invited person's account and accept the invitation in one step.

    Refused (ValidationError) when the invitation no longer works or the account exists: of
    two sign-ups at once, the second waits for the first's lock and is then told it was used.
    """
    from django.contrib.auth import get_user_model

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise refusal
    users = get_user_model().objects
    exists = ValidationError(
        _("An account with this e-mail address exists: sign in to accept the invitation."),
        code="exists",
    )
    if users.filter(email__iexact=invitation.email).exists():
        raise exists
    try:
        with transaction.atomic():
            user = users.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
    except IntegrityError:
        raise exists from None
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def scoping_apply_previous(*, assessment: Assessment, submission: Submission, by) -> int:
    """Copy the scoping answers of an earlier submission of the same organisation into an
    editable assessment (the member asked for it), then derive grade and modules again.
    Returns how many answers changed."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_editable(assessment)
    if submission.assessment.organisation_id != assessment.organisation_id:
        raise ValidationError(_("This submission is not of this organisation."), code="foreign")
    frozen = submission.answers or {}
    questions = Question.objects.filter(
        version_id=assessment.version_id, section__module=rules.SCOPING, code__in=frozen
    )
    live = {a.question_id: a for a in assessment.answers.filter(question__in=questions)}
    changed = 0
    for question in questions:
        value = (frozen.get(question.code) or {}).get("value")
        answer = live.get(question.pk) or Answer(assessment=assessment, question=question)
        if value in (None, "", []) or (answer.pk and answer.value == value):
            continue
        answer.level, answer.value, answer.na_reason = None, value, ""
        answer.revision += 1
        answer.updated_by = by
        answer.save()
        changed += 1
    scoping_recompute(assessment=assessment)
    audit(
        actor=by,
        verb="assessment.scoping_reuse",
        obj=assessment,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        submission=submission.pk,
        changed=changed,
    )
    return changed


# --------------------------------------------------------------------------- upgrading a draft

UPGRADE_REFUSALS = {
    "superseded": _lazy("This draft has already been moved to a newer questionnaire version."),
    "not_draft": _lazy(
        "Only a draft that has not been submitted can be moved to a newer questionnaire version."
    ),
    "owner": _lazy("Only an owner of the organisation can move a draft to a newer version."),
    "target": _lazy("This questionnaire version is not the published successor of the draft's."),
}


def upgrade_refusal(code: str) -> ValidationError:
    return ValidationError(str(UPGRADE_REFUSALS[code]), code=code)


@transaction.atomic
def assessment_upgrade(*, assessment: Assessment, to_version: QuestionnaireVersion, by):
    """Move a draft to the published version that upgrades its version (owners only).

    In one transaction, with the draft's row locked: a new draft of the same organisation on
    `to_version` gets the carried answers (with their evidence files), the section assignments
    of the same modules and its scoping derived again; the answers that need a new answer and
    the dropped ones are kept on it with their reasons (`upgrade_record`). Then the old draft
    becomes superseded: read-only, linked to its successor, out of the list. Submissions are
    never touched. Refused (ValidationError, PermissionDenied for a non-owner) otherwise.
    """
    from django.core.exceptions import PermissionDenied

    from assessments.selectors import upgrade_preview
    from assessments.upgrade import plan_to_json

    old = Assessment.objects.select_for_update().select_related("version").get(pk=assessment.pk)
    if old.status == Assessment.Status.SUPERSEDED:
        raise upgrade_refusal("superseded")
    try:
        new_status = workflow.transition(workflow.UPGRADE, old.status)
    except workflow.InvalidTransition as refused:
        raise upgrade_refusal("not_draft") from refused
    role = Membership.objects.filter(user=by, organisation_id=old.organisation_id).values_list(
        "role", flat=True
    )
    if list(role) != [Membership.Role.OWNER]:
        raise PermissionDenied(str(UPGRADE_REFUSALS["owner"]))
    if not is_successor(to_version, old.version):
        raise upgrade_refusal("target")
    plan = upgrade_preview(old, to_version)
    new = Assessment.objects.create(
        organisation_id=old.organisation_id,
        version=to_version,
        created_by=by,
        upgraded_from=old,
        upgrade_record={"from_version": old.version.number, **plan_to_json(plan)},
    )
    answers_carry(old=old, new=new, carried={c.code: c.source for c in plan.carried})
    assignments_carry(old=old, new=new)
    scoping_recompute(assessment=new)
    audit(
        actor=by,
        verb="assessment.upgrade",
        obj=new,
        organisation=old.organisation,
        assessment=new.pk,
        from_assessment=old.pk,
        from_version=old.version.number,
        to_version=to_version.number,
        carried=len(plan.carried),
        renew=len(plan.renew),
        dropped=len(plan.dropped),
    )
    old.status = new_status
    old.save(update_fields=["status", "updated_at"])
    # The new draft is the one to continue: it must be the most recently updated.
    Assessment.objects.filter(pk=new.pk).update(updated_at=timezone.now())
    return new


def is_successor(version: QuestionnaireVersion, of: QuestionnaireVersion) -> bool:
    return (
        version.status == QuestionnaireVersion.Status.PUBLISHED
        and version.questionnaire_id == of.questionnaire_id
        and version.upgrade_from == of.number
    )


def answers_carry(*, old: Assessment, new: Assessment, carried: dict[str, str]) -> None:
    """Copy the answers of `carried` (new code → old code) from `old` to `new`: value, level,
    N/A reason, comment, who gave them, and evidence rows pointing at the same stored files."""
    if not carried:
        return
    sources = {
        a.question.code: a
        for a in old.answers.filter(question__code__in=carried.values())
        .select_related("question")
        .prefetch_related("evidence")
    }
    targets = Question.objects.filter(version_id=new.version_id, code__in=carried)
    pairs = [(q, sources[carried[q.code]]) for q in targets if carried[q.code] in sources]
    copies = Answer.objects.bulk_create(
        [
            Answer(
                assessment=new,
                question=question,
                level=source.level,
                value=source.value,
                na_reason=source.na_reason,
                comment=source.comment,
                revision=1,
                updated_by_id=source.updated_by_id,
            )
            for question, source in pairs
        ]
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                answer=copy,
                file=evidence.file.name,
                original_name=evidence.original_name,
                sha256=evidence.sha256,
                size=evidence.size,
                content_type=evidence.content_type,
                uploaded_by_id=evidence.uploaded_by_id,
            )
            for copy, (_question, source) in zip(copies, pairs, strict=True)
            for evidence in source.evidence.all()
        ]
    )


def assignments_carry(*, old: Assessment, new: Assessment) -> None:
    """Each section assignment moves to the new version's section of the same module."""
    sections = {s.module: s for s in new.version.sections.all()}
    SectionAssignment.objects.bulk_create(
        [
            SectionAssignment(assessment=new, section=sections[a.section.module], user_id=a.user_id)
            for a in old.assignments.select_related("section")
            if a.section.module in sections
        ]
    )
