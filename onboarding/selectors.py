"""Reads: who may decide which registration request, the regulators an office has."""

from django.db.models import Q

from onboarding.models import RegistrationRequest
from portal import access
from portal.models import RegulatorProfile, User
from portal.roles import PLATFORM_ADMIN_GROUP, is_platform_admin


def covered_by_any_regulator(province: str, sector: str) -> bool:
    probe = type("Probe", (), {"province": province, "sector": sector})()
    return bool(access.regulators_for_organisation(probe))


def requests_for_decider(user):
    """Requests the user may decide: a platform admin all; a regulator those in its
    jurisdiction. Anyone else none."""
    pending = RegistrationRequest.objects.exclude(status=RegistrationRequest.Status.UNVERIFIED)
    if is_platform_admin(user):
        return pending
    profile = access.regulator_profile(user)
    if profile is None:
        return RegistrationRequest.objects.none()
    return pending.filter(access.jurisdiction_q(profile))


def can_decide(user) -> bool:
    return is_platform_admin(user) or access.is_regulator(user)


def platform_admins():
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_staff=True, groups__name=PLATFORM_ADMIN_GROUP))
        .distinct()
    )


def regulator_profiles():
    return RegulatorProfile.objects.select_related("user").order_by("authority", "user__email")
