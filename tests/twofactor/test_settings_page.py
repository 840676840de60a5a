"""The settings page: new recovery codes and turning two-factor sign-in off, each with a code."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEvent
from tests.twofactor.support import app_code, enrol, enter_code, enter_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, org_owner):
    device, codes = enrol(org_owner)
    enter_password(client, org_owner)
    enter_code(client, app_code(device))
    return org_owner, device, codes


def test_the_page_says_it_is_on_and_how_many_codes_are_left(client, signed_in):
    response = client.get(reverse("twofactor:overview"))
    assert response.context["enabled"]
    assert response.context["recovery_left"] == 10


def test_the_page_offers_enrolment_when_it_is_off(client, org_editor):
    client.force_login(org_editor)
    response = client.get(reverse("twofactor:overview"))
    assert not response.context["enabled"]
    assert reverse("twofactor:enrol") in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, signed_in):
    user, device, old_codes = signed_in
    response = client.post(reverse("twofactor:recovery_codes"), {"code": app_code(device)})
    new_codes = response.context["codes"]
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)
    assert AuditEvent.objects.filter(actor=user, verb="two_factor.recovery_codes").exists()


def test_new_recovery_codes_need_a_current_code(client, signed_in):
    user, _device, old_codes = signed_in
    response = client.post(reverse("twofactor:recovery_codes"), {"code": "000000"})
    assert response.url == reverse("twofactor:overview")
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(old_codes)


def test_turning_it_off_needs_a_current_code(client, signed_in):
    user, _device, _codes = signed_in
    client.post(reverse("twofactor:disable"), {"code": "000000"})
    client.post(reverse("twofactor:disable"), {})
    assert TOTPDevice.objects.filter(user=user).exists()


def test_turning_it_off_with_a_code_removes_the_app_and_the_codes(client, signed_in):
    user, device, _codes = signed_in
    response = client.post(reverse("twofactor:disable"), {"code": app_code(device)})
    assert response.url == reverse("twofactor:overview")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(actor=user, verb="two_factor.disable").exists()
    client.post(reverse("logout"))
    assert enter_password(client, user).url == reverse("home")


def test_the_actions_accept_only_post(client, signed_in):
    assert client.get(reverse("twofactor:disable")).status_code == 405
    assert client.get(reverse("twofactor:recovery_codes")).status_code == 405


def test_a_device_is_only_ever_its_owners(client, signed_in, org_editor):
    """Codes are checked against the signed-in user's devices, never another user's."""
    _user, device, codes = signed_in
    client.post(reverse("logout"))
    enrol(org_editor)
    client.force_login(org_editor)
    client.post(reverse("twofactor:disable"), {"code": codes[0]})
    assert TOTPDevice.objects.filter(user=org_editor).exists()
