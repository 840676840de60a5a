"""Issue 9, defects 1, 3 and 7 (e-mail case): the lock-out counts accounts and real clients."""

import re
from ipaddress import ip_network

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from portal.proxies import client_ip
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def sign_in(client, email, password, address="192.0.2.1", **headers):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def without_csrf_token(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def via_proxy(client, email, password, client_address):
    return sign_in(client, email, password, PROXY, HTTP_X_FORWARDED_FOR=client_address)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ip_network(PROXY)]


class TestPerAccountLockOut:
    def test_a_failure_is_recorded_against_the_account(self, client, org_owner):
        sign_in(client, org_owner.email, "wrong")
        assert list(AccessAttempt.objects.values_list("username", flat=True)) == [org_owner.email]

    def test_guesses_from_many_addresses_lock_the_account(self, client, org_owner, settings):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, org_owner.email, f"guess-{n}", address=f"198.51.100.{n + 1}")
        response = sign_in(client, org_owner.email, PASSWORD, address="203.0.113.99")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_a_locked_account_answers_the_same_to_a_right_and_a_wrong_password(
        self, client, org_owner, settings
    ):
        for n in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, org_owner.email, "wrong", address=f"198.51.100.{n + 1}")
        right = sign_in(client, org_owner.email, PASSWORD, address="203.0.113.7")
        wrong = sign_in(client, org_owner.email, "still wrong", address="203.0.113.8")
        assert (right.status_code, wrong.status_code) == (429, 429)
        assert without_csrf_token(right) == without_csrf_token(wrong)
        assert "_auth_user_id" not in client.session

    def test_changing_the_case_of_the_address_does_not_escape_the_count(
        self, client, org_owner, settings
    ):
        for n in range(settings.AXES_FAILURE_LIMIT):
            spelling = org_owner.email.upper() if n % 2 else org_owner.email
            sign_in(client, spelling, "wrong", address=f"198.51.100.{n + 1}")
        assert sign_in(client, org_owner.email, PASSWORD, "203.0.113.9").status_code == 429


class TestEmailCase:
    def test_a_member_signs_in_with_the_address_in_capitals(self, client, org_owner):
        response = sign_in(client, org_owner.email.capitalize(), PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(org_owner.pk)

    def test_it_does_not_count_as_a_failure(self, client, org_owner):
        sign_in(client, org_owner.email.upper(), PASSWORD)
        assert AccessAttempt.objects.filter(failures_since_start__gt=0).count() == 0

    def test_a_wrong_password_in_capitals_still_fails(self, client, org_owner):
        response = sign_in(client, org_owner.email.upper(), "wrong")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


class TestBehindTheProxy:
    def test_one_client_failing_does_not_lock_out_another(
        self, client, org_owner, regulator, settings, behind_proxy
    ):
        for n in range(settings.AXES_FAILURE_LIMIT):
            via_proxy(client, f"nobody{n}@example.com", "wrong", "203.0.113.7")
        assert via_proxy(client, org_owner.email, PASSWORD, "203.0.113.7").status_code == 429
        response = via_proxy(client, regulator.email, PASSWORD, "198.51.100.20")
        assert response.status_code == 302

    def test_the_failing_client_is_recorded_by_its_own_address(
        self, client, org_owner, behind_proxy
    ):
        via_proxy(client, org_owner.email, "wrong", "203.0.113.7")
        assert AccessAttempt.objects.get().ip_address == "203.0.113.7"

    def test_a_forwarded_address_from_anyone_else_is_ignored(self, client, org_owner, settings):
        settings.TRUSTED_PROXIES = []
        sign_in(client, org_owner.email, "wrong", "192.0.2.50", HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert AccessAttempt.objects.get().ip_address == "192.0.2.50"


class TestClientIp:
    def ip(self, remote, forwarded=None):
        headers = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **headers))

    def test_it_is_the_connection_without_trusted_proxies(self, settings):
        settings.TRUSTED_PROXIES = []
        assert self.ip("192.0.2.1", "203.0.113.7") == "192.0.2.1"

    def test_it_is_the_first_untrusted_hop_from_the_right(self, settings):
        settings.TRUSTED_PROXIES = [ip_network("10.0.0.0/8")]
        assert self.ip("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.1.1.1") == "203.0.113.7"

    def test_a_client_cannot_pose_as_a_proxy_by_forging_the_header(self, settings):
        settings.TRUSTED_PROXIES = [ip_network("10.0.0.2")]
        assert self.ip("10.0.0.2", "10.0.0.2, 203.0.113.7") == "203.0.113.7"

    def test_garbage_stops_the_walk_at_the_last_good_hop(self, settings):
        settings.TRUSTED_PROXIES = [ip_network("10.0.0.2")]
        assert self.ip("10.0.0.2", "not-an-address") == "10.0.0.2"
