from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.models import AuditEvent, Membership, Organisation, RegulatorProfile, User
from portal.roles import CONTENT_ADMIN_GROUP, PLATFORM_ADMIN_GROUP


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # A platform administrator manages accounts and gives the two administrator roles, but
    # never makes a superuser, hands out single permissions or changes a superuser's account.
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "is_superuser"]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            from django.contrib.auth.models import Group

            kwargs["queryset"] = Group.objects.filter(
                name__in=[CONTENT_ADMIN_GROUP, PLATFORM_ADMIN_GROUP]
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = sorted(form.changed_data) if change else ["created"]
        audit_record(
            actor=request.user, verb="user.admin_change", obj=obj, organisation=None, fields=changed
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "groups" in form.changed_data:
            groups = sorted(form.instance.groups.values_list("name", flat=True))
            audit_record(
                actor=request.user,
                verb="user.roles",
                obj=form.instance,
                organisation=None,
                groups=groups,
            )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "province", "sector", "size"]
    list_filter = ["province", "sector", "size"]
    search_fields = ["name", "uscc"]
    inlines = [MembershipInline]


@admin.register(RegulatorProfile)
class RegulatorProfileAdmin(admin.ModelAdmin):
    """Regulators are created and changed on their own pages (onboarding:regulators); here a
    change is still recorded in the audit trail with the jurisdiction before and after."""

    list_display = ["user", "authority"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            old = RegulatorProfile.objects.get(pk=obj.pk)
            before = {
                "authority": old.authority,
                "provinces": old.provinces,
                "sectors": old.sectors,
            }
        super().save_model(request, obj, form, change)
        after = {"authority": obj.authority, "provinces": obj.provinces, "sectors": obj.sectors}
        verb = "regulator.update" if change else "regulator.create"
        audit_record(
            actor=request.user, verb=verb, obj=obj, organisation=None, before=before, after=after
        )

    def delete_queryset(self, request, queryset):
        for profile in queryset:
            self.delete_model(request, profile)

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            verb="regulator.delete",
            obj=obj,
            organisation=None,
            authority=obj.authority,
            provinces=obj.provinces,
        )
        super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "verb", "object_type", "object_id", "organisation"]
    list_filter = ["verb"]
    list_select_related = ["organisation"]  # an outer join: a deleted organisation shows empty

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
