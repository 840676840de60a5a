"""Early warnings (动态风险预警) raised by the beat job; each one once, by its key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Submission
from portal.models import Organisation


class RiskWarning(models.Model):
    class Rule(models.TextChoices):
        TIER_ROSE = "tier_rose", _("Risk tier rose")
        INDEX_FELL = "index_fell", _("Compliance index fell")
        RED_LINE_NEW = "red_line_new", _("Red line newly hit")
        NO_RESUBMISSION = "no_resubmission", _("Changes requested, no resubmission")
        SHARE_ROSE = "share_rose", _("Share of high and critical rose")

    rule = models.CharField(max_length=20, choices=Rule.choices)
    # The rule's own identity of what it saw (the pair of submissions, the decision, the
    # group and period): unique, so the job raises a warning once, not on every run.
    key = models.CharField(max_length=120, unique=True)
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, models.CASCADE, null=True, blank=True, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For a group warning (share rose): the province, and the sector when the group is one.
    province = models.CharField(max_length=6)
    sector = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("risk warning")
        verbose_name_plural = _("risk warnings")
        indexes = [
            # The dashboard's list: open warnings of the jurisdiction's provinces, newest first.
            models.Index(fields=["province", "acknowledged_at", "-raised_at"], name="warning_open"),
        ]

    def __str__(self):
        return self.key


class ExportJob(models.Model):
    """A large export built by the worker (oversight.tasks.build_export) into a stored file
    that only the regulator who asked for it can download, until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, default="xlsx")
    # The query string of the export request: the filters are checked again, against the
    # regulator's jurisdiction as it is when the file is written.
    query = models.TextField(blank=True)
    filters = models.JSONField(default=dict)  # the filters described in Chinese (header row)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        indexes = [
            # The purge job: files past their expiry.
            models.Index(fields=["expires_at"], name="export_expires"),
        ]

    def __str__(self):
        return f"{self.kind} export {self.pk} ({self.status})"


class FindingTally(models.Model):
    """The dashboard's findings figures, counted ahead (oversight.tallies): for each province,
    sector and grade, how many latest submissions have a gap on a question and how many hit
    it as a red line. Rebuilt whole by a beat job; the dashboard reads it instead of the
    findings of every latest submission (about 90 a submission: 0.9 million rows at 100,000
    submissions) when no module or period filter asks for the live count."""

    province = models.CharField(max_length=6)
    sector = models.CharField(max_length=20)
    grade = models.CharField(max_length=2)
    question_code = models.CharField(max_length=20)
    failed = models.PositiveIntegerField()  # latest submissions with a gap on the question
    red_lines = models.PositiveIntegerField()  # of those, the ones where it is a red line
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("findings tally")
        verbose_name_plural = _("findings tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "sector", "grade", "question_code"], name="tally_cell"
            )
        ]

    def __str__(self):
        return f"{self.province}/{self.sector}/{self.grade} {self.question_code}: {self.failed}"


class TrendTally(models.Model):
    """Every submission by month of submission (in the portal's time zone) and tier, for each
    province, sector and grade: the dashboard's trend, counted ahead (oversight.tallies)."""

    province = models.CharField(max_length=6)
    sector = models.CharField(max_length=20)
    grade = models.CharField(max_length=2)
    month = models.DateField()  # the first day of the month
    tier = models.CharField(max_length=10)  # a tier code, or "unscored"
    n = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("trend tally")
        verbose_name_plural = _("trend tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "sector", "grade", "month", "tier"], name="trend_cell"
            )
        ]

    def __str__(self):
        return f"{self.province}/{self.sector}/{self.grade} {self.month:%Y-%m} {self.tier}"


class DecisionTally(models.Model):
    """Regulators' decisions by month (in the portal's time zone) and kind, for each province
    and sector: the dashboard's decisions per month, counted ahead (oversight.tallies)."""

    province = models.CharField(max_length=6)
    sector = models.CharField(max_length=20)
    month = models.DateField()
    action = models.CharField(max_length=20)
    n = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("decision tally")
        verbose_name_plural = _("decision tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "sector", "month", "action"], name="decision_cell"
            )
        ]

    def __str__(self):
        return f"{self.province}/{self.sector} {self.month:%Y-%m} {self.action}"
