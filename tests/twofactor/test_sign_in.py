"""Signing in with a second factor: the password, then a code from the app or a recovery code."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.twofactor.support import (
    app_code,
    enrol,
    enter_code,
    enter_password,
    signed_in_user_id,
)
from twofactor.pending import PENDING_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(org_owner):
    device, codes = enrol(org_owner)
    return org_owner, device, codes


def test_the_password_alone_does_not_sign_in(client, enrolled):
    user, _device, _codes = enrolled
    response = enter_password(client, user)
    assert response.url == reverse("twofactor:verify")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("twofactor:overview")).status_code == 302


def test_a_code_from_the_app_signs_in_verified(client, enrolled):
    user, device, _codes = enrolled
    enter_password(client, user)
    response = enter_code(client, app_code(device))
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert PENDING_KEY not in client.session


def test_it_goes_on_to_the_page_asked_for(client, enrolled):
    user, device, _codes = enrolled
    enter_password(client, user, next_url=reverse("notifications:preferences"))
    assert enter_code(client, app_code(device)).url == reverse("notifications:preferences")


def test_a_recovery_code_signs_in_once(client, enrolled):
    user, _device, codes = enrolled
    enter_password(client, user)
    assert enter_code(client, codes[0].upper()).url == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)

    client.post(reverse("logout"))
    enter_password(client, user)
    response = enter_code(client, codes[0])
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None


def test_the_other_recovery_codes_still_work(client, enrolled):
    user, _device, codes = enrolled
    enter_password(client, user)
    enter_code(client, codes[0])
    client.post(reverse("logout"))
    enter_password(client, user)
    assert enter_code(client, codes[1]).url == reverse("home")


@pytest.mark.parametrize("code", ["000000", "12345", "abcdefgh", "", "<b>1</b>", "1" * 40])
def test_a_wrong_code_is_refused(client, enrolled, code):
    user, _device, _codes = enrolled
    enter_password(client, user)
    response = enter_code(client, code)
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None


def test_a_code_of_the_app_is_accepted_once(client, enrolled):
    user, device, _codes = enrolled
    enter_password(client, user)
    code = app_code(device)
    enter_code(client, code)
    client.post(reverse("logout"))
    enter_password(client, user)
    assert enter_code(client, code).status_code == 200
    assert signed_in_user_id(client) is None


def test_wrong_codes_count_towards_the_lock_out(client, enrolled, settings):
    user, device, _codes = enrolled
    enter_password(client, user)
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        enter_code(client, "000000")
    assert enter_code(client, "000000").status_code == 429
    assert AccessAttempt.objects.get(username=user.email).failures_since_start >= 1
    assert PENDING_KEY not in client.session
    assert enter_password(client, user).status_code == 429
    assert signed_in_user_id(client) is None


def test_the_code_step_expires(client, enrolled, settings):
    user, device, _codes = enrolled
    enter_password(client, user)
    session = client.session
    session[PENDING_KEY]["at"] = int(time.time()) - settings.TWO_FACTOR_PENDING_SECONDS - 1
    session.save()
    response = enter_code(client, app_code(device))
    assert response.url == reverse("login")
    assert signed_in_user_id(client) is None


def test_the_code_step_needs_the_password_first(client, enrolled):
    _user, device, _codes = enrolled
    response = enter_code(client, app_code(device))
    assert response.url == reverse("login")
    assert signed_in_user_id(client) is None


def test_a_user_without_an_authenticator_signs_in_with_the_password(client, org_editor):
    assert enter_password(client, org_editor).url == reverse("home")
    assert signed_in_user_id(client) == str(org_editor.pk)


def test_a_wrong_password_looks_the_same_with_or_without_an_authenticator(client, enrolled):
    user, _device, _codes = enrolled
    plain = UserFactory()
    with_factor = enter_password(client, user, password="wrong")
    without = enter_password(client, plain, password="wrong")
    assert with_factor.status_code == without.status_code == 200

    def page(response, email):
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode().replace(email, ""))

    assert page(with_factor, user.email) == page(without, plain.email)


def test_the_session_key_changes_after_the_password(client, enrolled):
    user, _device, _codes = enrolled
    client.get(reverse("login"))
    before = client.session.session_key
    enter_password(client, user)
    assert client.session.session_key != before
    assert PASSWORD not in str(dict(client.session))
