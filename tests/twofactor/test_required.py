"""Regulators and content admins must use a second factor where the portal requires it."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.portal.test_settings import PRODUCTION_ENV, run_django
from tests.twofactor.support import app_code, enrol, enter_code, enter_password, signed_in_user_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = True


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (PRODUCTION_ENV, "True"),
        ({"HEGUI_ENV": "development"}, "False"),
        ({**PRODUCTION_ENV, "TWO_FACTOR_REQUIRED": "false"}, "False"),
        ({"HEGUI_ENV": "development", "TWO_FACTOR_REQUIRED": "true"}, "True"),
    ],
)
def test_it_is_required_in_production_unless_turned_off(overrides, expected):
    result = run_django(["shell", "-c", SHOW_SETTING], overrides)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


SHOW_SETTING = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_ROLES)"


class TestForARegulator:
    def test_signing_in_leads_to_enrolment_and_nothing_else(self, client, regulator, required):
        enter_password(client, regulator)
        for url in (reverse("home"), reverse("supervision:queue"), reverse("twofactor:overview")):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url == reverse("twofactor:enrol")
        assert client.get(reverse("twofactor:enrol")).status_code == 200

    def test_signing_out_stays_possible(self, client, regulator, required):
        client.force_login(regulator)
        client.post(reverse("logout"))
        assert signed_in_user_id(client) is None

    def test_an_htmx_request_is_told_to_go_to_enrolment(self, client, regulator, required):
        client.force_login(regulator)
        response = client.get(reverse("supervision:queue"), HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == reverse("twofactor:enrol")

    def test_after_enrolling_the_queue_opens(self, client, regulator, required):
        enter_password(client, regulator)
        client.get(reverse("twofactor:enrol"))
        device = TOTPDevice.objects.get(user=regulator)
        client.post(reverse("twofactor:enrol"), {"code": app_code(device)})
        assert client.get(reverse("supervision:queue")).status_code == 200

    def test_an_enrolled_regulator_signs_in_with_a_code(self, client, regulator, required):
        device, _codes = enrol(regulator)
        enter_password(client, regulator)
        enter_code(client, app_code(device))
        assert client.get(reverse("supervision:queue")).status_code == 200

    def test_an_unverified_session_is_signed_out(self, client, regulator, required):
        enrol(regulator)
        client.force_login(regulator)  # signed in before two-factor became required
        response = client.get(reverse("supervision:queue"))
        assert response.url.startswith(reverse("login"))
        assert signed_in_user_id(client) is None

    def test_it_cannot_be_turned_off(self, client, regulator, required):
        device, _codes = enrol(regulator)
        enter_password(client, regulator)
        enter_code(client, app_code(device))
        client.post(reverse("twofactor:disable"), {"code": app_code(device)})
        assert TOTPDevice.objects.filter(user=regulator, confirmed=True).exists()

    def test_it_is_not_required_in_development(self, client, regulator, settings):
        settings.TWO_FACTOR_REQUIRED_FOR_ROLES = False
        client.force_login(regulator)
        assert client.get(reverse("supervision:queue")).status_code == 200


def test_an_organisation_member_is_not_required_to_enrol(client, org_owner, required):
    enter_password(client, org_owner)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("assessments:list")).status_code == 200


class TestTheAdmin:
    def test_a_content_admin_is_sent_to_enrolment(self, client, content_admin, required):
        client.force_login(content_admin)
        assert client.get(reverse("admin:index")).url == reverse("twofactor:enrol")

    def test_a_verified_content_admin_gets_in(self, client, content_admin, required):
        device, _codes = enrol(content_admin)
        enter_password(client, content_admin)
        enter_code(client, app_code(device))
        assert client.get(reverse("admin:index")).status_code == 200

    def test_the_site_refuses_an_unverified_session(self, content_admin, required):
        request = RequestFactory().get("/admin/")
        request.user = content_admin
        content_admin.is_verified = lambda: False
        assert not admin.site.has_permission(request)
        content_admin.is_verified = lambda: True
        assert admin.site.has_permission(request)

    def test_an_enrolled_admin_needs_a_verified_session_even_in_development(
        self, client, content_admin
    ):
        enrol(content_admin)
        client.force_login(content_admin)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert signed_in_user_id(client) == str(content_admin.pk)

    def test_the_admin_password_form_is_replaced_by_the_portal_sign_in(self, client):
        response = client.get(reverse("admin:login"))
        assert response.url.startswith(reverse("login"))
        assert "next=/admin/" in response.url

    def test_the_admin_login_sends_a_permitted_user_on(self, client, content_admin):
        client.force_login(content_admin)
        response = client.get(reverse("admin:login") + "?next=/admin/portal/")
        assert response.url == "/admin/portal/"
