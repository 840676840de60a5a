"""Writes of two-factor sign-in: enrolment, recovery codes, verification and switching it off.

A user has at most one confirmed authenticator (a TOTP device) and one set of recovery codes
(a static device whose tokens are deleted as they are used).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit_record
from twofactor.policy import two_factor_required

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
WRONG_CODE = _("The code is wrong or has expired. Try the current one from your app.")


def normalise_code(value) -> str:
    """A code as typed: spaces and hyphens dropped, letters lower-cased ("ABCD-EFGH" works)."""
    return "".join(str(value or "").split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) == 6


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up, created once and reused, so a
    reload of the enrolment page shows the same secret as the app already holds."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, user, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start the set-up again."), code="stale")
    codes = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.verify_token(normalise_code(code)):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = replace_recovery_codes(user)
            audit_record(actor=user, verb="two_factor.enable", obj=user, organisation=None)
    if codes is None:  # raised after the commit, so the device's failure count is kept
        raise ValidationError(WRONG_CODE, code="wrong_code")
    return codes


def replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def code_verify(*, user, code: str):
    """The confirmed device that accepts `code` (a TOTP code or an unused recovery code, which
    is then spent), or None. Each device throttles its own failures (1, 2, 4 … seconds)."""
    code = normalise_code(code)
    if not code or len(code) > 16:
        return None
    model = TOTPDevice if is_totp_code(code) else StaticDevice
    with transaction.atomic():
        devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        for device in devices.order_by("pk"):
            if device.verify_token(code):
                return device
    return None


def recovery_codes_regenerate(*, user, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), proved with a current code."""
    if code_verify(user=user, code=code) is None:
        raise ValidationError(WRONG_CODE, code="wrong_code")
    with transaction.atomic():
        codes = replace_recovery_codes(user)
        audit_record(actor=user, verb="two_factor.recovery_codes", obj=user, organisation=None)
    return codes


def two_factor_disable(*, user, code: str) -> None:
    """Remove the authenticator and the recovery codes, proved with a current code."""
    if two_factor_required(user):
        raise ValidationError(_("Two-factor sign-in is required for your role."), code="required")
    if code_verify(user=user, code=code) is None:
        raise ValidationError(WRONG_CODE, code="wrong_code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(actor=user, verb="two_factor.disable", obj=user, organisation=None)
