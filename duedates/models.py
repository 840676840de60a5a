"""Which due-date reminders have been sent: one row per (item, kind), so each reminder goes
out once however often the beat job runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        PASSED = "passed", _("Due date passed")

    item = models.CharField(_("item"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["item", "kind"], name="duedates_one_reminder_each")
        ]

    def __str__(self):
        return f"{self.item} {self.kind} {self.due}"


class EventDate(models.Model):
    """A day the organisation entered, from which a period of the rules runs (the service
    launch, a change, the end of a service, a data-export procedure step): the questionnaire
    does not ask for them, see duedates.windows."""

    organisation = models.ForeignKey(
        "portal.Organisation", models.CASCADE, related_name="event_dates"
    )
    event = models.CharField(_("event"), max_length=40)
    on = models.DateField(_("date"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "event"], name="duedates_one_date_per_event"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.event} {self.on}"


class ReassessmentSchedule(models.Model):
    """How soon an organisation reassesses, by obligation grade, for one questionnaire
    version: loaded from a schedule data file beside the questionnaire files (the published
    questionnaire file itself is never changed)."""

    questionnaire_code = models.CharField(_("questionnaire"), max_length=40)
    version_number = models.PositiveIntegerField(_("version"))
    periods = models.JSONField(_("periods by grade"))  # {"G1": {"months": 24}, ...}
    basis = models.JSONField(_("basis"))  # {"zh": ..., "en": ...}
    source_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reassessment schedule")
        verbose_name_plural = _("reassessment schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_code", "version_number"], name="duedates_one_schedule"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire_code} v{self.version_number}"
