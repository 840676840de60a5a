import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import Membership, Organisation, RegulatorProfile, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        RegulatorProfile.objects.count(),
    )


def test_it_creates_the_demo_accounts_and_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert counts() == (2, 8, 6, 1)
    for email in ["owner@bj.example.com", "viewer@sh.example.com", "regulator@bj.example.com"]:
        assert email in out
    assert User.objects.get(email="admin@hegui.example.com").is_content_admin
    provinces = set(Organisation.objects.values_list("province", flat=True))
    assert provinces == {"110000", "310000"}


def test_it_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_every_demo_login_works(client):
    from portal.management.commands.seed_demo import DEMO_PASSWORD

    call_command("seed_demo")
    for user in User.objects.all():
        response = client.post(
            reverse("login"), {"username": user.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.email
        client.post(reverse("logout"))


def test_it_refuses_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0)


def test_with_the_bundled_questionnaire_a_submission_waits_in_the_regulators_queue(
    client, django_capture_on_commit_callbacks
):
    """`make run` loads the questionnaire before seed_demo: the Beijing owner's assessment is
    answered and submitted through the services, scored, and in the regulator's queue."""
    from assessments.models import Assessment, ScoreResult
    from portal.management.commands.seed_demo import DEMO_PASSWORD
    from tests.assessments.results_support import bundled_questionnaire

    bundled_questionnaire().__class__.objects.update(status="published")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assessment = Assessment.objects.get()
    submission = assessment.submissions.get()
    assert assessment.organisation.province == "110000"
    assert assessment.status == "scored"
    assert assessment.organisation.name in submission.attestation["statement"]
    assert submission.attestation["role"] == "合规负责人"
    assert ScoreResult.objects.get(submission=submission).overall_tier in {
        "low",
        "medium",
        "high",
        "critical",
    }
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")  # idempotent: no second assessment
    assert Assessment.objects.count() == 1
    client.post(
        reverse("login"), {"username": "regulator@bj.example.com", "password": DEMO_PASSWORD}
    )
    queue = client.get(reverse("supervision:queue")).content.decode()
    assert assessment.organisation.name in queue
