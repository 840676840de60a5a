from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Two-factor sign-in")


class VerifiedAdminConfig(AdminConfig):
    """django.contrib.admin whose site requires a session verified with a second factor."""

    default_site = "twofactor.sites.VerifiedAdminSite"
