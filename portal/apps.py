from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import mark_session_seen

        user_logged_in.connect(mark_session_seen, dispatch_uid="portal.mark_session_seen")
