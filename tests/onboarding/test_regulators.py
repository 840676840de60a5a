"""Issue 15: the platform administrator creates regulator accounts with their jurisdiction and
changes it; every change is in the audit trail. The roles stay apart."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import access
from portal.models import AuditEvent, RegulatorProfile, User
from portal.roles import is_content_admin, is_platform_admin
from tests.factories import UserFactory
from tests.onboarding.support import platform_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = platform_admin()
    client.force_login(user)
    return user


def test_a_regulator_account_for_an_office_then_its_password(
    client, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onboarding:regulator_new"),
            {
                "email": "Shencha@ZJ.gov.cn",
                "full_name": "浙江审查员",
                "authority": "浙江省互联网信息办公室",
                "provinces": ["330000"],
                "sectors": ["finance", "health"],
            },
        )
    assert response.status_code == 302
    profile = RegulatorProfile.objects.get(user__email="shencha@zj.gov.cn")
    assert (profile.provinces, sorted(profile.sectors)) == (["330000"], ["finance", "health"])
    assert not profile.user.has_usable_password()
    event = AuditEvent.objects.get(verb="regulator.create")
    assert event.actor_id == admin.pk and event.data["provinces"] == ["330000"]
    # The mailed link sets the password; then the regulator signs in and sees the queue.
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    client.logout()
    form_page = client.get(path.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path.group(1)
    new = "Zhejiang-Shencha-2026!"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    user = User.objects.get(email="shencha@zj.gov.cn")
    assert user.check_password(new) and access.is_regulator(user)
    response = client.post(reverse("login"), {"username": user.email, "password": new})
    assert response.status_code == 302


def test_an_existing_address_and_no_province_are_refused(client, admin, org_owner):
    url = reverse("onboarding:regulator_new")
    data = {"email": org_owner.email, "full_name": "x", "authority": "y", "provinces": ["110000"]}
    response = client.post(url, data)
    assert response.status_code == 422 and "exists already" in response.content.decode()
    response = client.post(url, {**data, "email": "new@gov.cn", "provinces": []})
    assert response.status_code == 422
    assert not RegulatorProfile.objects.exists()


def test_a_jurisdiction_change_is_audited_before_and_after(client, admin, regulator):
    profile = regulator.regulator_profile
    url = reverse("onboarding:regulator_change", args=[profile.pk])
    response = client.post(
        url,
        {"authority": "北京市网信办", "provinces": ["110000", "120000"], "active": "on"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.provinces == ["110000", "120000"]
    event = AuditEvent.objects.get(verb="regulator.update")
    assert event.data["before"]["provinces"] == ["110000"]
    assert event.data["after"]["provinces"] == ["110000", "120000"]
    # Switching the account off is a change too; saving the same values records nothing.
    client.post(url, {"authority": "北京市网信办", "provinces": ["110000", "120000"]})
    regulator.refresh_from_db()
    assert not regulator.is_active
    client.post(url, {"authority": "北京市网信办", "provinces": ["110000", "120000"]})
    assert AuditEvent.objects.filter(verb="regulator.update").count() == 2


def test_the_admin_change_of_a_jurisdiction_is_audited_too(client, regulator):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    profile = regulator.regulator_profile
    client.post(
        reverse("admin:portal_regulatorprofile_change", args=[profile.pk]),
        {"user": regulator.pk, "authority": "新名称", "provinces": '["110000"]', "sectors": "[]"},
    )
    event = AuditEvent.objects.filter(verb="regulator.update").get()
    assert event.data["after"]["authority"] == "新名称"


def test_a_platform_administrator_cannot_make_a_superuser_or_touch_one(client, admin):
    target = UserFactory()
    superuser = UserFactory(is_staff=True, is_superuser=True)
    change = reverse("admin:portal_user_change", args=[target.pk])
    page = client.get(change).content.decode()
    assert 'name="is_superuser"' not in page
    client.post(
        change,
        {
            "email": target.email,
            "full_name": "x",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    target.refresh_from_db()
    assert not target.is_superuser
    response = client.get(reverse("admin:portal_user_change", args=[superuser.pk]))
    assert response.status_code == 302  # "does not exist": not in its list


def test_the_roles_are_apart(admin, content_admin, regulator):
    from assessments.models import Answer, Evidence, Submission

    assert is_platform_admin(admin) and not is_content_admin(admin)
    assert not access.is_regulator(admin)
    for model in (Answer, Evidence, Submission):
        perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
        assert not admin.has_perm(perm)
    assert not admin.has_perm("regulations.change_article")
    assert not is_platform_admin(regulator) and not is_platform_admin(content_admin)
