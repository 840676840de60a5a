from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Supervision at scale: the risk dashboard, early warnings, exports, scale tools."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight"
