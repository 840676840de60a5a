"""Setting up an authenticator: the secret and QR code, confirming with a code, recovery codes."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEvent
from tests.twofactor.support import app_code, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, org_owner):
    client.force_login(org_owner)
    return client


def test_the_enrolment_page_shows_a_qr_code_and_the_key(member_client, org_owner):
    response = member_client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=org_owner, confirmed=False)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<path" in html
    secret = response.context["secret"].replace(" ", "")
    assert secret in device.config_url
    assert "issuer=Hegui" in device.config_url


def test_reloading_the_page_keeps_the_same_key(member_client, org_owner):
    first = member_client.get(reverse("twofactor:enrol")).context["secret"]
    second = member_client.get(reverse("twofactor:enrol")).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=org_owner).count() == 1


def test_a_code_from_the_app_turns_it_on_and_shows_ten_recovery_codes(member_client, org_owner):
    member_client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=org_owner)
    response = member_client.post(reverse("twofactor:enrol"), {"code": app_code(device)})
    device.refresh_from_db()
    codes = response.context["codes"]
    assert device.confirmed
    assert len(codes) == len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=org_owner).values_list("token", flat=True)
    )
    assert all(code in response.content.decode() for code in codes)
    assert AuditEvent.objects.filter(actor=org_owner, verb="two_factor.enable").count() == 1


def test_the_session_that_enrolled_counts_as_verified(member_client, org_owner):
    member_client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=org_owner)
    member_client.post(reverse("twofactor:enrol"), {"code": app_code(device)})
    assert member_client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_leaves_it_off(member_client, org_owner):
    member_client.get(reverse("twofactor:enrol"))
    response = member_client.post(reverse("twofactor:enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=org_owner, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=org_owner).exists()


def test_the_codes_are_never_shown_again(member_client, org_owner):
    _device, codes = enrol(org_owner)
    for url in (reverse("twofactor:overview"), reverse("twofactor:enrol")):
        response = member_client.get(url, follow=True)
        assert not any(code in response.content.decode() for code in codes)


def test_an_enrolled_user_is_sent_to_the_settings_page(member_client, org_owner):
    enrol(org_owner)
    response = member_client.get(reverse("twofactor:enrol"))
    assert response.url == reverse("twofactor:overview")


def test_signing_out_is_needed_to_reach_enrolment(client):
    response = client.get(reverse("twofactor:enrol"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
