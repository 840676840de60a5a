"""The regulator's side of the review loop: claims, decisions, tier overrides, comments, replies.

The review state itself is the assessment's status (assessments/workflow.py holds the
transitions); this app records who did what to which frozen submission, and never changes one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, Submission

# "Medium" is also an organisation size (中型): the context keeps the tier's own word (中).
TIER_CHOICES = [
    ("low", pgettext_lazy("risk tier", "Low")),
    ("medium", pgettext_lazy("risk tier", "Medium")),
    ("high", pgettext_lazy("risk tier", "High")),
    ("critical", pgettext_lazy("risk tier", "Critical")),
]


class Claim(models.Model):
    """The reviewer working an assessment now (one at a time; another may take over)."""

    assessment = models.OneToOneField(Assessment, models.CASCADE, related_name="claim")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self):
        return f"{self.assessment_id} → {self.reviewer}"


class Decision(models.Model):
    """One regulator step of the review loop; never changed. The organisation's steps (submit,
    reopen, resubmit) are the assessment's status and its audit events."""

    class Action(models.TextChoices):
        CLAIM = "claim", _("Claimed")
        UNCLAIM = "unclaim", _("Released")
        COMMENT = "comment", _("First comment")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        ACCEPT = "accept", _("Accepted")
        CLOSE = "close", _("Closed without action")

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        indexes = [
            models.Index(fields=["assessment", "-at"]),
            # The dashboard's decisions per month (action IN (…), grouped by month of `at`).
            models.Index(fields=["action", "at"], name="decision_action_at"),
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.action} {self.from_status}→{self.to_status}"


class TierOverride(models.Model):
    """A regulator's tier for a submission, with the reason. Shown beside the computed tier,
    never in its place; the latest one for a submission is the one that applies."""

    submission = models.ForeignKey(Submission, models.PROTECT, related_name="tier_overrides")
    tier = models.CharField(_("tier"), max_length=10, choices=TIER_CHOICES)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("tier override")
        verbose_name_plural = _("tier overrides")

    def __str__(self):
        return f"{self.submission_id}: {self.tier}"


class ReviewComment(models.Model):
    """A regulator's comment on one question (`question_code`) or on the whole submission."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="review_comments")
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="review_comments")
    question_code = models.CharField(max_length=20, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return f"{self.submission_id}:{self.question_code or '*'} {self.body[:30]}"

    @property
    def is_general(self) -> bool:
        return not self.question_code


class CommentReply(models.Model):
    """The organisation's answer to a comment: one per comment, editable until resubmitted."""

    comment = models.OneToOneField(ReviewComment, models.CASCADE, related_name="reply")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    body = models.TextField(_("reply"))
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"reply to {self.comment_id}"
