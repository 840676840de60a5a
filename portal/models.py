"""Identity and tenancy: users, organisations, memberships, regulators, the audit trail."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from portal.regions import Province, Sector, Size
from portal.validators import validate_uscc


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Staff users are content admins."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    @property
    def is_content_admin(self) -> bool:
        return self.is_active and self.is_staff


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    province = models.CharField(_("province"), max_length=6, choices=Province.choices)
    # Optional: an organisation pre-registered from a regulator's spreadsheet may not give it.
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # Every regulator read filters on the jurisdiction: province IN (…) [AND sector IN
            # (…)] (portal.access.jurisdiction_q); the queue filtered to one province too.
            models.Index(fields=["province", "sector"], name="org_jurisdiction"),
        ]

    def __str__(self):
        return self.name

    # The labels by dictionary lookup: Django's get_FOO_display flattens and hashes the whole
    # list of choices on every call, and a regulator's queue shows two per row.
    def get_province_display(self):
        return force_str(PROVINCE_LABELS.get(self.province, self.province))

    def get_sector_display(self):
        return force_str(SECTOR_LABELS.get(self.sector, self.sector))


PROVINCE_LABELS = dict(Province.choices)
SECTOR_LABELS = dict(Sector.choices)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.EDITOR)


class RegulatorProfile(models.Model):
    """A regulator's jurisdiction: provinces (GB/T 2260 codes) and, optionally, sectors.

    An empty sector list means every sector in those provinces.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="regulator_profile"
    )
    authority = models.CharField(_("authority"), max_length=200)
    provinces = models.JSONField(_("provinces"), default=list)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)

    class Meta:
        verbose_name = _("regulator profile")
        verbose_name_plural = _("regulator profiles")

    def __str__(self):
        return f"{self.user} ({self.authority})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.provinces:
            raise ValidationError({"provinces": _("A regulator needs at least one province.")})
        unknown = set(self.provinces) - set(Province.values)
        unknown |= {f"sector:{s}" for s in set(self.sectors) - set(Sector.values)}
        if unknown:
            raise ValidationError(
                _("Unknown codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only record of who did what; never updated or deleted.

    The database enforces it: on PostgreSQL a trigger refuses every UPDATE and DELETE of a row
    (migration 0002); on SQLite, the development database, a trigger refuses UPDATE (DELETE stays
    possible there because the test runner empties tables with DELETE) and the model and its
    queryset refuse both.

    The actor and the organisation are kept by id without a foreign-key constraint
    (DO_NOTHING): deleting a user must stay possible (PROTECT would forbid it), and SET_NULL
    would rewrite past events (an UPDATE the trigger refuses) and forget who acted. The
    actor's e-mail address and name are copied in when the event is written, so the trail
    still names a deleted user.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The review page's timeline: events whose data names the assessment, newest
            # first (supervision.selectors.audit_events: data->'assessment' = …).
            models.Index(KeyTransform("assessment", "data"), "at", name="audit_assessment_at"),
        ]

    def __str__(self):
        what = f"{self.verb} {self.object_type}:{self.object_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @property
    def actor_label(self) -> str:
        """Who acted, from the copy taken at the time (the account may since be deleted)."""
        if self.actor_name or self.actor_email:
            return self.actor_name or self.actor_email
        return f"#{self.actor_id}" if self.actor_id else "-"
