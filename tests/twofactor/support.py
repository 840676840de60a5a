"""Helpers of the two-factor tests: codes an authentication app would show, and sign-ins."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from twofactor import services


def app_code(device: TOTPDevice) -> str:
    """The code the user's app shows now, or the next one if the current step was already used
    (the server accepts each time step once, within one step of its clock)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + (step - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """The user's confirmed authenticator and recovery codes, set up through the services."""
    device = services.totp_enrolment_start(user=user)
    codes = services.totp_enrolment_confirm(user=user, device=device, code=app_code(device))
    device.refresh_from_db()
    return device, codes


def enter_password(client, user, password=PASSWORD, next_url=None, **extra):
    data = {"username": user.email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, **extra)


def enter_code(client, code, **extra):
    return client.post(reverse("twofactor:verify"), {"code": code}, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
