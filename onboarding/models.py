"""How organisations join: a request registered by the company itself, verified by e-mail and
decided by the jurisdiction's regulator or a platform administrator."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation
from portal.regions import Province, Sector, Size
from portal.validators import validate_uscc


class RegistrationRequest(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("E-mail not yet verified")
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("organisation name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_uscc]
    )
    province = models.CharField(_("province"), max_length=6, choices=Province.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices)
    applicant_name = models.CharField(_("your name"), max_length=150)
    applicant_email = models.EmailField(_("your e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    organisation = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        constraints = [
            # One request waiting for a decision per credit code, whoever sent it.
            models.UniqueConstraint(
                fields=["uscc"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_uscc",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.uscc}) {self.status}"
