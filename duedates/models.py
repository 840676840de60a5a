"""Which due-date reminders have been sent: one row per (item, kind), so each reminder goes
out once however often the beat job runs."""

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
