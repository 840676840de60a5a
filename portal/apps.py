from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import mark_session_seen

        user_logged_in.connect(mark_session_seen, dispatch_uid="portal.mark_session_seen")

        from portal import user_cache

        user_cache.connect()

        from portal import page_cache

        page_cache.connect()

        from django.db.models.signals import post_migrate

        from portal.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="portal.sync_role_groups")
