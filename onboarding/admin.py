from django.contrib import admin

from onboarding.models import RegistrationRequest


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are decided on their own page (onboarding:request), which records
    the decision in the audit trail and tells the applicant."""

    list_display = ["name", "uscc", "province", "sector", "status", "created_at"]
    list_filter = ["status", "province", "sector"]
    search_fields = ["name", "uscc", "applicant_email"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
