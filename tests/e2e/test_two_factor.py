"""Two-factor sign-in in the browser: a regulator required to use it enrols from the page's key,
keeps the recovery codes, and signs in again with a code from the app."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, RegulatorProfileFactory
from tests.twofactor.support import app_code

pytestmark = pytest.mark.django_db(transaction=True)

LONG = 30_000  # ms: shared machines are slow; wait for what the page shows, generously


def code_from_key(shown_key: str) -> str:
    """What an authentication app shows for the key typed in from the page."""
    return f"{totp(b32decode(shown_key.replace(' ', ''))):06d}"


def test_a_regulator_enrols_and_signs_in_with_a_code(page, live_server, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = True
    regulator = RegulatorProfileFactory().user
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    sign_in(page, live_server, regulator.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/enrol/", timeout=LONG)
    expect(page.locator("#two-factor-qr svg")).to_be_visible(timeout=LONG)
    key = page.inner_text("#two-factor-secret")
    page.fill("input[name=code]", code_from_key(key))
    page.click("#two-factor-enrol button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10, timeout=LONG)
    page.click("main a.btn-primary")
    page.wait_for_url(f"{live_server.url}/review/", timeout=LONG)

    page.context.clear_cookies()
    sign_in(page, live_server, regulator.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/verify/", timeout=LONG)
    page.fill("input[name=code]", app_code(TOTPDevice.objects.get(user=regulator)))
    page.click("#two-factor-verify button[type=submit]")
    page.wait_for_url(f"{live_server.url}/review/", timeout=LONG)
    assert violations == []
