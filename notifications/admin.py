from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery", "language"]
    list_filter = ["delivery", "language"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: useful to see what was sent to whom, and what is still waiting."""

    list_display = ["created_at", "recipient", "kind", "subject", "digest", "sent_at"]
    list_filter = ["kind", "digest", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
