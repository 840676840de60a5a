from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuedatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "duedates"
    verbose_name = _("Due dates")
