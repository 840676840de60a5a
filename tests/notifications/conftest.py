import pytest
from django.utils import timezone

from notifications.models import NotificationPreference
from portal.models import Membership
from supervision.models import Decision
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire

SITE = "https://hegui.example.cn"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def version(db):
    return small_questionnaire()


@pytest.fixture
def submission(organisation, org_owner, version):
    return make_submission(organisation, version, SMALL_SCOPING, by=org_owner)


def prefer(user, *, delivery="immediate", language="zh-hans"):
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"delivery": delivery, "language": language}
    )
    return user


def decision_on(submission, *, action, by, note=""):
    to_status = {"request_changes": "changes_requested", "accept": "accepted"}[action]
    return Decision.objects.create(
        assessment=submission.assessment,
        submission=submission,
        action=action,
        from_status="under_review",
        to_status=to_status,
        actor=by,
        note=note,
        at=timezone.now(),
    )


def owner_of(organisation, user):
    Membership.objects.filter(organisation=organisation, user=user).update(role="owner")
    return user
