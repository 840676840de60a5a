"""The regulator's writes (claim, comment, decide, override) and the organisation's replies.

Every write locks the assessment row, checks the state the user saw is still the state now,
asks assessments/workflow.py for the next state, and records the step in the audit trail.
Two regulators deciding at once are serialised by the lock: the second finds the state moved
on and is refused with a message naming who decided first.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import workflow
from assessments.models import Assessment, Submission
from assessments.services import workflow_step
from portal.audit import audit_record
from supervision.models import Claim, CommentReply, Decision, ReviewComment, TierOverride

MAX_TEXT = 5000
WORKER_PROGRESS = {workflow.SUBMITTED, workflow.SCORING, workflow.SCORED}


def locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    )


def latest_submission(assessment: Assessment) -> Submission:
    return assessment.submissions.order_by("-number").first()


def require_unchanged(assessment: Assessment, *, seen_status: str | None, seen_submission=None):
    """Refuse when someone moved the assessment on since the page was read."""
    latest = latest_submission(assessment)
    if latest is None:
        workflow_step(workflow.CLAIM, workflow.DRAFT)  # refused: "not submitted yet"
    if seen_submission is not None and str(latest.pk) != str(seen_submission).strip():
        raise ValidationError(
            _("A newer submission (no. %(n)d) has arrived; reload the page.")
            % {"n": latest.number},
            code="stale",
        )
    if seen_status is None or seen_status == assessment.status:
        return latest
    if {seen_status, assessment.status} <= WORKER_PROGRESS:  # scoring finished meanwhile
        return latest
    last = assessment.decisions.select_related("actor").order_by("-at", "-pk").first()
    who = last.actor.get_short_name() if last else _("someone else")
    raise ValidationError(
        _(
            "%(who)s changed this submission to “%(status)s” while you were reading it; "
            "reload the page."
        )
        % {"who": who, "status": Assessment.Status(assessment.status).label},
        code="stale",
    )


def clean_text(text: str, *, required: bool, message: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError(message, code="required")
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("Keep it under %(n)d characters.") % {"n": MAX_TEXT}, code="too_long"
        )
    return text


def record(*, assessment, submission, action, from_status, to_status, by, note="") -> Decision:
    now = timezone.now()
    decision = Decision.objects.create(
        assessment=assessment,
        submission=submission,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        note=note,
        at=now,
    )
    if to_status != from_status:
        assessment.status = to_status
        assessment.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        verb=f"review.{action}",
        obj=submission,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        number=submission.number,
        from_status=from_status,
        to_status=to_status,
    )
    return decision


def claim_set(assessment: Assessment, by) -> None:
    now = timezone.now()
    Claim.objects.update_or_create(
        assessment=assessment, defaults={"reviewer": by, "claimed_at": now}
    )


@transaction.atomic
def review_claim(*, assessment: Assessment, by, seen_status: str | None = None) -> Decision:
    """Take the submission (or take it over from another reviewer); a waiting one moves to
    under review."""
    assessment = locked(assessment)
    submission = require_unchanged(assessment, seen_status=seen_status)
    new_status = workflow_step(workflow.CLAIM, assessment.status)
    claim_set(assessment, by)
    return record(
        assessment=assessment,
        submission=submission,
        action=Decision.Action.CLAIM,
        from_status=assessment.status,
        to_status=new_status,
        by=by,
    )


@transaction.atomic
def review_unclaim(*, assessment: Assessment, by) -> None:
    """Release the claim (the state stays as it is; anyone in the jurisdiction can claim)."""
    assessment = locked(assessment)
    deleted, _rows = Claim.objects.filter(assessment=assessment).delete()
    if not deleted:
        raise ValidationError(_("Nobody has claimed this submission."), code="unclaimed")
    record(
        assessment=assessment,
        submission=latest_submission(assessment),
        action=Decision.Action.UNCLAIM,
        from_status=assessment.status,
        to_status=assessment.status,
        by=by,
    )


@transaction.atomic
def review_comment_add(
    *, assessment: Assessment, by, body: str, question_code: str = ""
) -> ReviewComment:
    """Comment on a question of the latest submission, or on the whole submission (no code).

    The first comment on a waiting submission moves it to under review and claims it for the
    commenter when nobody has.
    """
    body = clean_text(body, required=True, message=_("Write the comment first."))
    assessment = locked(assessment)
    submission = require_unchanged(assessment, seen_status=None)
    if question_code and question_code not in submission.answers:
        raise ValidationError(_("This question is not part of the submission."), code="question")
    new_status = workflow_step(workflow.COMMENT, assessment.status)
    comment = ReviewComment.objects.create(
        assessment=assessment,
        submission=submission,
        question_code=question_code,
        author=by,
        body=body,
        created_at=timezone.now(),
    )
    if new_status != assessment.status:
        if not Claim.objects.filter(assessment=assessment).exists():
            claim_set(assessment, by)
        record(
            assessment=assessment,
            submission=submission,
            action=Decision.Action.COMMENT,
            from_status=assessment.status,
            to_status=new_status,
            by=by,
        )
    audit_record(
        actor=by,
        verb="review.comment",
        obj=comment,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        question=question_code,
    )
    return comment


EVENTS = {
    workflow.REQUEST_CHANGES: "changes_requested",
    workflow.ACCEPT: "accepted",
}


@transaction.atomic
def review_decide(
    *,
    assessment: Assessment,
    by,
    action: str,
    note: str = "",
    seen_status: str | None = None,
    seen_submission=None,
) -> Decision:
    """Request changes (a note is required), accept, or close without action.

    `seen_status` and `seen_submission` are what the regulator's page showed: when another
    decision or a newer submission came first, this one is refused, never applied on top.
    """
    if action not in workflow.DECISIONS:
        raise ValidationError(_("Unknown decision."), code="decision")
    note = clean_text(
        note,
        required=action in workflow.NOTE_REQUIRED,
        message=_("Say what the organisation has to change."),
    )
    assessment = locked(assessment)
    submission = require_unchanged(
        assessment, seen_status=seen_status, seen_submission=seen_submission
    )
    new_status = workflow_step(action, assessment.status)
    if not Claim.objects.filter(assessment=assessment).exists():
        claim_set(assessment, by)
    decision = record(
        assessment=assessment,
        submission=submission,
        action=action,
        from_status=assessment.status,
        to_status=new_status,
        by=by,
        note=note,
    )
    event = EVENTS.get(action)
    if event:
        transaction.on_commit(lambda: notify(event, decision.pk))
    return decision


@transaction.atomic
def tier_override_set(*, submission: Submission, by, tier: str, reason: str) -> TierOverride:
    """Set a regulator's tier beside the computed one (a reason is required)."""
    if tier not in dict(TierOverride._meta.get_field("tier").choices):
        raise ValidationError(_("Choose a tier."), code="tier")
    reason = clean_text(reason, required=True, message=_("Give the reason for the override."))
    assessment = locked(submission.assessment)
    workflow_step(workflow.OVERRIDE, assessment.status)
    override = TierOverride.objects.create(
        submission=submission, tier=tier, reason=reason, by=by, at=timezone.now()
    )
    audit_record(
        actor=by,
        verb="review.override",
        obj=submission,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        number=submission.number,
        tier=tier,
    )
    transaction.on_commit(lambda: notify("tier_overridden", override.pk))
    return override


@transaction.atomic
def reply_save(*, comment: ReviewComment, by, body: str) -> CommentReply:
    """The organisation's reply to a comment, while changes are requested or being made."""
    body = clean_text(body, required=True, message=_("Write the reply first."))
    assessment = locked(comment.assessment)
    if assessment.status not in (workflow.CHANGES_REQUESTED, workflow.REOPENED):
        raise ValidationError(
            _("Replies can be written only while changes are requested."), code="state"
        )
    reply, _created = CommentReply.objects.update_or_create(
        comment=comment, defaults={"author": by, "body": body, "updated_at": timezone.now()}
    )
    audit_record(
        actor=by,
        verb="review.reply",
        obj=reply,
        organisation=assessment.organisation,
        assessment=assessment.pk,
        comment=comment.pk,
    )
    return reply


def notify(event: str, object_id: int) -> None:
    """Queue the mails for a committed decision; a mail failure never undoes the decision."""
    import logging

    from notifications import events

    try:
        getattr(events, event)(object_id)
    except Exception:  # noqa: BLE001 - the decision is committed; mail is retried by its task
        logging.getLogger(__name__).warning(
            "could not queue %s notification for %s", event, object_id, exc_info=True
        )
