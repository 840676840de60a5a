"""Questionnaires (versioned), assessments, answers, evidence, frozen submissions and results."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessments.querysets import AssessmentQuerySet
from assessments.rules import MODULES, SCOPING
from portal.models import Organisation

MODULE_CHOICES = [(SCOPING, _("Scoping"))] + [(code, code) for code in MODULES]


class Bilingual:
    """Pick the zh or en variant of a field for the active language."""

    def localised(self, field: str) -> str:
        zh, en = getattr(self, f"{field}_zh", ""), getattr(self, f"{field}_en", "")
        return en or zh if (get_language() or "").startswith("en") else zh or en


class Questionnaire(Bilingual, models.Model):
    code = models.CharField(max_length=40, unique=True)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return f"{self.code} {self.title_zh}"

    @property
    def title(self):
        return self.localised("title")


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The scoping rules (derived facts, grades, modules, impact and likelihood raises) as data.
    rules = models.JSONField(default=dict)
    source_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The date the file's citations were checked against (its `in_force_on`; null: the load day).
    in_force_on = models.DateField(null=True, blank=True)
    # What makes a question a red line, in both languages (the file's `red_line_policy`).
    red_line_policy = models.JSONField(default=dict, blank=True)
    # The version this one upgrades (its questions' `upgrade.from` codes name questions of it),
    # and the questions of that version it drops: [{code, reason: {zh, en}}].
    upgrade_from = models.PositiveIntegerField(null=True, blank=True)
    removed = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_version")
        ]

    def __str__(self):
        return f"{self.questionnaire.code} v{self.number} ({self.status})"


class Section(Bilingual, models.Model):
    version = models.ForeignKey(QuestionnaireVersion, models.CASCADE, related_name="sections")
    module = models.CharField(max_length=10, choices=MODULE_CHOICES)
    order = models.PositiveSmallIntegerField()
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    intro_zh = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "module"], name="one_section_per_module")
        ]

    def __str__(self):
        return f"{self.version} · {self.module}"

    @property
    def title(self):
        return self.localised("title")

    @property
    def intro(self):
        return self.localised("intro")


class Question(Bilingual, models.Model):
    class AnswerType(models.TextChoices):
        LEVEL = "level", _("Implementation level (0–3)")
        YESNO = "yesno", _("Yes / no")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Single choice")
        MULTI = "multi", _("Multiple choice")

    class Weight(models.IntegerChoices):
        ONE = 1, "1"
        TWO = 2, "2"
        THREE = 3, "3"
        FIVE = 5, "5"

    version = models.ForeignKey(QuestionnaireVersion, models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, models.CASCADE, related_name="questions")
    code = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()
    text_zh = models.TextField()
    text_en = models.TextField()
    help_zh = models.TextField(blank=True)
    help_en = models.TextField(blank=True)
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices)
    weight = models.PositiveSmallIntegerField(choices=Weight.choices, null=True, blank=True)
    red_line = models.BooleanField(default=False)
    na_allowed = models.BooleanField(default=True)
    applies_when = models.JSONField(default=None, null=True, blank=True)
    evidence_from = models.CharField(max_length=2, blank=True)
    also_modules = models.JSONField(default=list, blank=True)
    thresholds = models.JSONField(default=list, blank=True)
    unit_zh = models.CharField(max_length=40, blank=True)
    unit_en = models.CharField(max_length=40, blank=True)
    # The range a numeric answer must fall in (the data file's `range`), checked by AnswerForm.
    range_min = models.FloatField(null=True, blank=True)
    range_max = models.FloatField(null=True, blank=True)
    remediation_zh = models.TextField(blank=True)
    remediation_en = models.TextField(blank=True)
    penalty = models.JSONField(default=dict, blank=True)
    # Why a red line is one: {kind, regulation, article, phrase, edition_effective}.
    red_line_basis = models.JSONField(default=None, null=True, blank=True)
    standards = models.JSONField(default=list, blank=True)  # [{name: {zh,en}, note: {zh,en}}]
    references = models.JSONField(default=list, blank=True)  # [{name: {zh,en}, date}]
    # Its ancestor in the version upgraded from: {from, carry, reason: {zh, en}} (null: new).
    upgrade = models.JSONField(default=None, null=True, blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_question_code"),
            models.CheckConstraint(
                condition=models.Q(weight__isnull=True) | models.Q(weight__in=[1, 2, 3, 5]),
                name="weight_1_2_3_5",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def module(self) -> str:
        return self.section.module

    @property
    def is_scoping(self) -> bool:
        return self.weight is None

    @property
    def text(self):
        return self.localised("text")

    @property
    def help(self):
        return self.localised("help")

    @property
    def remediation(self):
        return self.localised("remediation")

    @property
    def unit(self):
        return self.localised("unit")

    @property
    def spec(self) -> dict:
        """The question as the pure rule functions see it (no rule means it always applies)."""
        applies_when = True if self.applies_when is None else self.applies_when
        return {"code": self.code, "module": self.module, "applies_when": applies_when}


class Choice(Bilingual, models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="choices")
    value = models.CharField(max_length=60)
    label_zh = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="unique_choice_value")
        ]

    def __str__(self):
        return f"{self.question.code}={self.value}"

    @property
    def label(self):
        return self.localised("label")


class Citation(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="citations")
    regulation_code = models.CharField(max_length=20)
    article_number = models.PositiveSmallIntegerField()
    phrase = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The effective date of the edition the phrase was verified in when the version was loaded
    # (null where no official text had been imported): a later edition changing the article
    # is a change for this question.
    edition_effective = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        indexes = [models.Index(fields=["regulation_code", "article_number"])]

    def __str__(self):
        return f"{self.regulation_code} 第{self.article_number}条"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SCORING = "scoring", _("Scoring")
        SCORED = "scored", _("Scored")
        UNDER_REVIEW = "under_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REOPENED = "reopened", _("Reopened for changes")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed without action")
        SUPERSEDED = "superseded", _("Moved to a newer version")

    # The transitions between these states live in assessments/workflow.py.
    EDITABLE = (Status.DRAFT, Status.REOPENED)

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="assessments")
    version = models.ForeignKey(QuestionnaireVersion, models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    grade = models.CharField(max_length=2, blank=True)
    modules = models.JSONField(default=list, blank=True)
    scoping = models.JSONField(default=dict, blank=True)  # reasons, derived facts, raises
    # The draft of an older questionnaire version this one was moved from (it stays, read-only,
    # as its predecessor's `upgraded_to`), and what the move left to do: {from_version,
    # renew: {code: {from, answer, reason}}, dropped: [{code, answer, reason}]}.
    upgraded_from = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="upgraded_to"
    )
    upgrade_record = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.organisation} · {self.version.questionnaire.code} #{self.pk}"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.JSONField(null=True, blank=True)
    na_reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    # Optimistic concurrency: a save must name the revision it was based on.
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=3),
                name="level_0_to_3",
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id}:{self.question_id}"

    @property
    def is_na(self) -> bool:
        return bool(self.na_reason.strip())

    @property
    def is_answered(self) -> bool:
        return is_answered(self.level, self.value, self.na_reason)


def is_answered(level, value, na_reason: str) -> bool:
    """An answer counts as given with a level, a value, or a reason why it does not apply."""
    return bool(na_reason.strip()) or level is not None or value not in (None, "", [])


def evidence_path(instance, filename):
    return f"evidence/{instance.answer.assessment_id}/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    answer = models.ForeignKey(Answer, models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class SectionAssignment(models.Model):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="assignments")
    section = models.ForeignKey(Section, models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="one_assignee")
        ]

    def __str__(self):
        return f"{self.assessment_id}:{self.section_id} → {self.user_id}"


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        """Neither accepted nor revoked, and not expired: the link still works."""
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )


class Invitation(models.Model):
    """An e-mailed link to join an organisation; it works once, until it expires or is revoked."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, default="editor")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def state(self) -> str:
        """ "accepted", "revoked", "expired" or "pending" (only a pending link works)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class Submission(models.Model):
    """A frozen, numbered snapshot of an assessment. Never changed after it is created."""

    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionnaireVersion, models.PROTECT, related_name="+")
    grade = models.CharField(max_length=2)
    scoping = models.JSONField()
    answers = models.JSONField()
    editions = models.JSONField(default=list)  # regulation editions cited, as judged on submit
    # The submitter's statement in their own name and role, stored with the snapshot.
    attestation = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    scoring_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="unique_submission_no")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            # The dashboard's trend by month, the period filters, the queue's date sorts and
            # the share-of-high warnings' windows (oversight): ranges on submitted_at.
            models.Index(fields=["submitted_at"], name="submission_submitted_at"),
        ]

    def __str__(self):
        return f"{self.assessment} · submission {self.number}"

    def save(self, *args, **kwargs):
        # A guard, not a side effect: the snapshot is written once and never again.
        if self.pk is not None:
            raise ValueError("A submission is frozen and cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("assessments:submission", args=[self.pk])


class ScoreResult(models.Model):
    submission = models.OneToOneField(Submission, models.PROTECT, related_name="result")
    overall_tier = models.CharField(max_length=10)
    index = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    grade = models.CharField(max_length=2)
    ruleset_version = models.CharField(max_length=20)
    result = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("score result")
        verbose_name_plural = _("score results")

    def __str__(self):
        return f"{self.submission}: {self.overall_tier}"


class Finding(models.Model):
    """One row per question with a gap, for statistics across submissions."""

    result = models.ForeignKey(ScoreResult, models.CASCADE, related_name="findings")
    question_code = models.CharField(max_length=20)
    module = models.CharField(max_length=10)
    level = models.PositiveSmallIntegerField()
    gap = models.DecimalField(max_digits=6, decimal_places=3)
    red_line = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["question_code"]),
            models.Index(fields=["module"]),
            # The red lines of a result: the queue's red-line count on every row, its
            # red-line filter, the dashboard's red-line frequency, the warnings (partial:
            # only the few red-line rows are in it).
            models.Index(
                fields=["result", "question_code"],
                condition=models.Q(red_line=True),
                name="finding_red_line",
            ),
        ]

    def __str__(self):
        return f"{self.question_code} level {self.level}"


class LawChange(models.Model):
    """What publishing an edition (or correcting its lineage) changed for the questionnaires:
    the questions citing a changed, merged or repealed article, and the submissions made
    before it. Computed by assessments.law_changes; each party is notified once."""

    edition = models.OneToOneField("regulations.Edition", models.CASCADE, related_name="law_change")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("law change")
        verbose_name_plural = _("law changes")

    def __str__(self):
        return str(self.edition)


class LawChangeQuestion(models.Model):
    """A question whose citation is affected: to review for the next questionnaire version,
    and a notice on the question in open drafts."""

    law_change = models.ForeignKey(LawChange, models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, models.CASCADE, related_name="+")
    regulation_code = models.CharField(max_length=20)
    old_number = models.PositiveSmallIntegerField()
    new_numbers = models.JSONField(default=list)
    kind = models.CharField(max_length=12)

    class Meta:
        ordering = ["law_change", "question__code", "old_number"]
        verbose_name = _("question to review")
        verbose_name_plural = _("questions to review")

    def __str__(self):
        return f"{self.question.code}: {self.regulation_code} {self.old_number} ({self.kind})"


class LawChangeSubmission(models.Model):
    """A submitted (or accepted) result made before the change, marked "law changed since
    this submission"."""

    law_change = models.ForeignKey(LawChange, models.CASCADE, related_name="submissions")
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="law_changes")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["law_change", "submission"], name="unique_law_change_submission"
            )
        ]

    def __str__(self):
        return f"{self.law_change_id} → submission {self.submission_id}"


class LawChangeNotified(models.Model):
    """One person told about one law change: never twice, however often the job runs."""

    law_change = models.ForeignKey(LawChange, models.CASCADE, related_name="notified")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["law_change", "user"], name="unique_law_change_notified"
            )
        ]

    def __str__(self):
        return f"{self.law_change_id} → user {self.user_id}"
