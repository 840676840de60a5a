"""The three administrative roles, kept apart.

- A **platform administrator** (staff, group `platform-admins`) manages accounts,
  organisations, registration requests and regulators' jurisdictions.
- A **content administrator** (staff, group `content-admins`) edits the regulation library and
  the questionnaires.
- A **regulator** has a RegulatorProfile and works in the review workspace (`/review/`).

Neither administrator has any permission on organisations' answers, evidence, submissions or
results: only a regulator reads those, through the review workspace, and only in its
jurisdiction. The two groups are (re)created with exactly their permissions after every
`migrate`, so a new server has them without the demo data.
"""

from django.db.models import Q

CONTENT_ADMIN_GROUP = "content-admins"
PLATFORM_ADMIN_GROUP = "platform-admins"

# What content admins edit: the regulation library and the questionnaires. Never the
# organisations' data (assessments, answers, evidence, submissions, results).
CONTENT_APPS = ("regulations",)
CONTENT_MODELS = {
    "assessments": (
        "questionnaire",
        "questionnaireversion",
        "section",
        "question",
        "choice",
        "citation",
    )
}
# What platform admins manage: people, organisations, jurisdictions, registration requests;
# they read the audit trail. Nothing of an organisation's assessments.
PLATFORM_MODELS = {
    "portal": ("user", "organisation", "membership", "regulatorprofile"),
    "onboarding": ("registrationrequest",),
}
PLATFORM_READ_ONLY = {"portal": ("auditevent",)}


def content_admin_permissions():
    from django.contrib.auth.models import Permission

    content = Q(content_type__app_label__in=CONTENT_APPS)
    for app_label, models in CONTENT_MODELS.items():
        content |= Q(content_type__app_label=app_label, content_type__model__in=models)
    return Permission.objects.filter(content)


def platform_admin_permissions():
    from django.contrib.auth.models import Permission

    wanted = Q(pk__in=[])
    for app_label, models in PLATFORM_MODELS.items():
        wanted |= Q(content_type__app_label=app_label, content_type__model__in=models)
    for app_label, models in PLATFORM_READ_ONLY.items():
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    return Permission.objects.filter(wanted)


def role_groups():
    """Both groups with exactly their permissions (idempotent)."""
    from django.contrib.auth.models import Group

    content, _ = Group.objects.get_or_create(name=CONTENT_ADMIN_GROUP)
    content.permissions.set(content_admin_permissions())
    platform, _ = Group.objects.get_or_create(name=PLATFORM_ADMIN_GROUP)
    platform.permissions.set(platform_admin_permissions())
    return content, platform


def sync_role_groups(sender, using="default", **kwargs):
    """post_migrate: permissions of every app exist first, then the groups get theirs."""
    if sender.label != "portal":
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    role_groups()


def in_group(user, name: str) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.groups.filter(name=name).exists()


def is_platform_admin(user) -> bool:
    """Superusers included: they can do anything a platform administrator can."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return in_group(user, PLATFORM_ADMIN_GROUP)


def is_content_admin(user) -> bool:
    return in_group(user, CONTENT_ADMIN_GROUP)
