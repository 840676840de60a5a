"""Issue 15, acceptance 2: a company registers, verifies its e-mail address, and the
jurisdiction's regulator (or the platform administrator) approves or rejects the request."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from assessments.models import Invitation
from onboarding.models import RegistrationRequest
from portal.models import AuditEvent, Organisation
from tests.factories import OrganisationFactory, RegulatorProfileFactory
from tests.onboarding.support import platform_admin, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def form(**overrides):
    data = {
        "name": "北京新注册科技有限公司",
        "uscc": uscc(1),
        "province": "110000",
        "sector": "internet",
        "size": "small",
        "applicant_name": "李华",
        "applicant_email": "LiHua@Example.cn",
    }
    return {**data, **overrides}


def register(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("onboarding:register"), form(**overrides))


def link_in(message) -> str:
    return re.search(r"https?://\S+?(/onboarding/register/verify/[^/\s]+/)", message.body).group(1)


def verify(client, django_capture_on_commit_callbacks, path):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(path)


def test_register_verify_approve_invites_the_applicant_as_owner(
    client, django_capture_on_commit_callbacks
):
    regulator = RegulatorProfileFactory(provinces=["110000"]).user
    RegulatorProfileFactory(provinces=["310000"])  # Shanghai: not told, cannot see it
    response = register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    request = RegistrationRequest.objects.get()
    assert request.status == "unverified" and request.applicant_email == "lihua@example.cn"
    assert mail.outbox[-1].to == ["lihua@example.cn"]

    # Before verification no regulator sees it.
    client.force_login(regulator)
    assert client.get(reverse("onboarding:request", args=[request.pk])).status_code == 404
    client.logout()  # forgets the cookies, the language too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    path = link_in(mail.outbox[-1])
    assert client.get(path).status_code == 200  # a mail scanner's GET changes nothing
    request.refresh_from_db()
    assert request.status == "unverified"
    response = verify(client, django_capture_on_commit_callbacks, path)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "pending" and request.verified_at
    assert mail.outbox[-1].to == [regulator.email]  # only the Beijing regulator is told

    client.force_login(regulator)
    assert request.name in client.get(reverse("onboarding:requests")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("onboarding:request", args=[request.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    organisation = Organisation.objects.get(uscc=uscc(1))
    assert request.status == "approved" and request.organisation == organisation
    assert (organisation.province, organisation.sector, organisation.size) == (
        "110000",
        "internet",
        "small",
    )
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role) == ("lihua@example.cn", "owner")
    assert mail.outbox[-1].to == ["lihua@example.cn"]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"registration.submit", "registration.verify", "registration.approve"} <= verbs

    # Deciding twice is refused with a message (two regulators at once).
    response = client.post(
        reverse("onboarding:request", args=[request.pk]), {"decision": "reject", "reason": "x"}
    )
    assert response.status_code == 422 and "already decided" in response.content.decode()


def test_rejection_needs_a_reason_and_tells_the_applicant(
    client, django_capture_on_commit_callbacks
):
    regulator = RegulatorProfileFactory(provinces=["110000"]).user
    register(client, django_capture_on_commit_callbacks)
    verify(client, django_capture_on_commit_callbacks, link_in(mail.outbox[-1]))
    request = RegistrationRequest.objects.get()
    client.force_login(regulator)
    url = reverse("onboarding:request", args=[request.pk])
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 422 and "Give the reason" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "营业执照与名称不符"})
    request.refresh_from_db()
    assert request.status == "rejected" and request.reason == "营业执照与名称不符"
    assert not Organisation.objects.filter(uscc=request.uscc).exists()
    assert "营业执照与名称不符" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["lihua@example.cn"]
    assert AuditEvent.objects.filter(verb="registration.reject").exists()


def test_a_registered_credit_code_is_refused_with_a_clear_message(
    client, django_capture_on_commit_callbacks
):
    OrganisationFactory(uscc=uscc(1))
    response = register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "already registered on Hegui" in response.content.decode()
    assert not RegistrationRequest.objects.exists() and not mail.outbox


def test_a_second_request_for_a_waiting_code_is_refused(client, django_capture_on_commit_callbacks):
    RegulatorProfileFactory(provinces=["110000"])
    register(client, django_capture_on_commit_callbacks)
    first_link = link_in(mail.outbox[-1])
    register(client, django_capture_on_commit_callbacks, applicant_email="other@example.cn")
    second_link = link_in(mail.outbox[-1])
    verify(client, django_capture_on_commit_callbacks, first_link)
    # The second one cannot be verified now, nor registered again.
    response = verify(client, django_capture_on_commit_callbacks, second_link)
    assert "already waiting for a decision" in response.content.decode()
    response = register(client, django_capture_on_commit_callbacks, applicant_email="x@example.cn")
    assert response.status_code == 422
    assert "already waiting for a decision" in response.content.decode()
    assert RegistrationRequest.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110108MA01HG01", "18 characters"),
        ("91110108ma01hg010x", "check character"),  # upper-cased, then the check fails
        ("91110108MA01HGO10A", "not allowed"),
    ],
)
def test_an_invalid_credit_code_is_refused(
    client, django_capture_on_commit_callbacks, code, message
):
    response = register(client, django_capture_on_commit_callbacks, uscc=code)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not RegistrationRequest.objects.exists()


def test_outside_every_jurisdiction_the_platform_administrator_decides(
    client, django_capture_on_commit_callbacks
):
    beijing = RegulatorProfileFactory(provinces=["110000"]).user
    finance_only = RegulatorProfileFactory(provinces=["650000"], sectors=["finance"]).user
    admin = platform_admin()
    register(client, django_capture_on_commit_callbacks, province="650000", sector="internet")
    response = verify(client, django_capture_on_commit_callbacks, link_in(mail.outbox[-1]))
    assert "No regulator on Hegui covers your province" in response.content.decode()
    request = RegistrationRequest.objects.get()
    assert mail.outbox[-1].to == [admin.email]
    for regulator in (beijing, finance_only):
        client.force_login(regulator)
        assert client.get(reverse("onboarding:request", args=[request.pk])).status_code == 404
    client.force_login(admin)
    page = client.get(reverse("onboarding:request", args=[request.pk]))
    assert page.status_code == 200 and "platform administrator decides" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("onboarding:request", args=[request.pk]), {"decision": "approve"})
    assert Organisation.objects.filter(uscc=uscc(1), province="650000").exists()


def test_a_forged_or_expired_link(client, settings, django_capture_on_commit_callbacks):
    assert client.get("/onboarding/register/verify/forged/").status_code == 404
    register(client, django_capture_on_commit_callbacks)
    settings.INVITATION_DAYS = 0
    response = verify(client, django_capture_on_commit_callbacks, link_in(mail.outbox[-1]))
    assert "expired" in response.content.decode()
    assert RegistrationRequest.objects.get().status == "unverified"
