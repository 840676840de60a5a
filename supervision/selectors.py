"""Reads over the review loop, each in a fixed number of queries.

`review_state` and `comments_with_replies` are what the organisation's pages show; the
regulator's queue and review page build on them.
"""

from dataclasses import dataclass

from assessments.models import Assessment, Submission
from supervision.models import Claim, Decision, ReviewComment, TierOverride


@dataclass(frozen=True)
class ReviewState:
    """What the review loop says about an assessment now."""

    last_decision: Decision | None  # the latest request for changes, acceptance or closing
    claim: Claim | None
    override: TierOverride | None  # the override of the latest submission, if any


def review_state(assessment: Assessment) -> ReviewState:
    """The latest decision, the claim and the applicable override (3 queries)."""
    decision = (
        Decision.objects.filter(
            assessment=assessment,
            action__in=[
                Decision.Action.REQUEST_CHANGES,
                Decision.Action.ACCEPT,
                Decision.Action.CLOSE,
            ],
        )
        .select_related("actor", "submission")
        .order_by("-at", "-pk")
        .first()
    )
    claim = Claim.objects.filter(assessment=assessment).select_related("reviewer").first()
    latest = assessment.submissions.order_by("-number").values_list("pk", flat=True).first()
    return ReviewState(decision, claim, override_for(latest) if latest else None)


def override_for(submission_id: int) -> TierOverride | None:
    """The override that applies to a submission: its latest one."""
    return (
        TierOverride.objects.filter(submission_id=submission_id)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def comments_with_replies(assessment: Assessment, submission: Submission | None = None):
    """Review comments of an assessment (of one submission when given), with their replies,
    authors and the submission number, oldest first (1 query)."""
    comments = ReviewComment.objects.filter(assessment=assessment).select_related(
        "author", "submission", "reply__author"
    )
    if submission is not None:
        comments = comments.filter(submission=submission)
    return list(comments.order_by("created_at", "pk"))


def decisions_of(assessment: Assessment) -> list[Decision]:
    """Every recorded step of the review loop, oldest first (1 query)."""
    return list(
        Decision.objects.filter(assessment=assessment)
        .select_related("actor", "submission")
        .order_by("at", "pk")
    )
