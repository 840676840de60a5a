"""The outbox of mails to people, and how each person wants to receive them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """How one person wants to hear about events: a mail each time or a daily digest, and in
    which language. Without a row, the defaults apply (immediately, in Chinese)."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("A mail for each event")
        DIGEST = "digest", _("One daily digest")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Simplified Chinese")
        EN = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    language = models.CharField(
        _("language of the mails"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.delivery}, {self.language}"


class Notification(models.Model):
    """One mail to one person, rendered in their language when the event happened.

    Written in the transaction that handles the event, sent afterwards: by a task (immediate)
    or by the daily digest. `claimed_at` is the sender's claim on the row; `sent_at` is set once
    the mail has gone.
    """

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("New submission")
        RESUBMISSION = "resubmission", _("Resubmission")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        TIER_OVERRIDDEN = "tier_overridden", _("Tier override")
        DEADLINE = "deadline", _("Due date reminder")
        LAW_CHANGED = "law_changed", _("Law changed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    link = models.URLField(_("link"), max_length=500)
    language = models.CharField(_("language"), max_length=10)
    digest = models.BooleanField(_("for the digest"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The sweep and the digest both look for unsent rows only.
            models.Index(
                fields=["digest", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"
