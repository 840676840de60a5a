"""Who must use two-factor sign-in, and what a user still has to do before using the portal."""

from django.conf import settings
from django_otp import user_has_device

from portal import access


def two_factor_required(user) -> bool:
    """Regulators and content admins must sign in with a second factor when the portal requires
    it (TWO_FACTOR_REQUIRED_FOR_ROLES: on in production, off in development)."""
    if not settings.TWO_FACTOR_REQUIRED_FOR_ROLES or not user.is_authenticated:
        return False
    return user.is_staff or access.is_regulator(user)


def session_is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_two_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)
