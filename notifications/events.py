"""What happened, as the rest of the portal tells it: one function per event, taking ids.

Callers run these after their transaction has committed (transaction.on_commit). Each one
decides who hears about the event and queues the mail (immediately or for the daily digest,
as each recipient chose), in the recipient's language and with an absolute link.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import absolute_url, notifications_queue


@transaction.atomic
def submission_received(submission_id: int) -> None:
    """A first submission or a resubmission: the jurisdiction's regulators."""
    from assessments.models import Assessment, Submission
    from assessments.results import GRADE_LABELS, label
    from portal.access import regulators_for_organisation

    submission = Submission.objects.select_related("assessment__organisation").get(pk=submission_id)
    assessment, organisation = submission.assessment, submission.assessment.organisation
    resubmission = submission.number > 1 or assessment.status == Assessment.Status.RESUBMITTED

    def render():
        context = {
            "organisation": organisation.name,
            "number": submission.number,
            "grade": label(GRADE_LABELS, submission.grade),
            "resubmission": resubmission,
        }
        if resubmission:
            subject = _("Resubmission from %(organisation)s (no. %(number)s)") % context
        else:
            subject = _("New submission from %(organisation)s") % context
        return subject, render_body("submission", context)

    notifications_queue(
        recipients=regulators_for_organisation(organisation),
        kind=Notification.Kind.RESUBMISSION if resubmission else Notification.Kind.SUBMISSION,
        link=review_link(assessment.pk),
        render=render,
    )


def changes_requested(decision_id: int) -> None:
    """A regulator requested changes: the organisation's owners."""
    decision_to_owners(
        decision_id,
        kind=Notification.Kind.CHANGES_REQUESTED,
        subject=lambda: _("Changes requested on your submission no. %(number)s"),
    )


def accepted(decision_id: int) -> None:
    """A regulator accepted the submission: the organisation's owners."""
    decision_to_owners(
        decision_id,
        kind=Notification.Kind.ACCEPTED,
        subject=lambda: _("Your submission no. %(number)s has been accepted"),
    )


@transaction.atomic
def decision_to_owners(decision_id: int, *, kind: str, subject) -> None:
    """Tell the owners of a decision, in each one's language (`subject` is called once per
    language, so the string is translated then; the body template is named after the kind)."""
    decision = decision_for(decision_id)

    def render():
        context = decision_context(decision)
        return subject() % context, render_body(kind, context)

    notifications_queue(
        recipients=owners_of(decision.assessment.organisation),
        kind=kind,
        link=absolute_url(decision.assessment.get_absolute_url()),
        render=render,
    )


@transaction.atomic
def tier_overridden(override_id: int) -> None:
    """A regulator set a tier beside the computed one: the organisation's owners."""
    from assessments.models import ScoreResult
    from assessments.results import tier_label
    from supervision.models import TierOverride

    override = TierOverride.objects.select_related("submission__assessment__organisation").get(
        pk=override_id
    )
    submission = override.submission
    result = ScoreResult.objects.filter(submission=submission).only("overall_tier").first()

    def render():
        context = {
            "organisation": submission.assessment.organisation.name,
            "number": submission.number,
            "tier": tier_label(override.tier),
            "computed_tier": tier_label(result.overall_tier) if result else "—",
            "reason": override.reason,
        }
        subject = (
            _("A regulator set the risk tier of submission no. %(number)s to %(tier)s") % context
        )
        return subject, render_body("tier_overridden", context)

    notifications_queue(
        recipients=owners_of(submission.assessment.organisation),
        kind=Notification.Kind.TIER_OVERRIDDEN,
        link=absolute_url(submission.get_absolute_url()),
        render=render,
    )


# --------------------------------------------------------------------------- helpers


def render_body(kind: str, context: dict) -> str:
    from django.template.loader import render_to_string

    return render_to_string(f"notifications/mail/{kind}.txt", context)


def review_link(assessment_id: int) -> str:
    """The regulator's review page of an assessment (its URL may not be wired yet)."""
    try:
        path = reverse("supervision:review", args=[assessment_id])
    except NoReverseMatch:
        path = f"/review/{assessment_id}/"
    return absolute_url(path)


def decision_for(decision_id: int):
    from supervision.models import Decision

    return Decision.objects.select_related("assessment__organisation", "submission").get(
        pk=decision_id
    )


def decision_context(decision) -> dict:
    return {
        "organisation": decision.assessment.organisation.name,
        "number": decision.submission.number,
        "note": decision.note,
    }


def owners_of(organisation) -> list:
    """The organisation's active owners: mails about decisions go to them only."""
    from portal.models import Membership

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Membership.Role.OWNER,
        )
        .order_by("pk")
    )
