"""The review service level on the regulator's queue and review page: a submission awaiting a
decision is due REVIEW_SERVICE_LEVEL_WORKING_DAYS working days after the day it was
submitted, shown with an "overdue" state once that day has passed; a decided one shows none."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duedates.templatetags import due_dates
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(regulator):
    organisation = OrganisationFactory(province="110000", sector="internet")
    at = timezone.make_aware(dt.datetime(2026, 9, 28, 10, 0))
    return make_submission(organisation, small_questionnaire(), SMALL_SCOPING, submitted_at=at)


def review_due_on(client, user, url) -> str:
    client.force_login(user)
    page = client.get(url).content.decode()
    return page.split('class="review-due', 1)[1].split("</span></span>", 1)[0]


def test_the_queue_shows_the_review_due_date_and_overdue(
    client, regulator, submission, settings, monkeypatch
):
    settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS = 5
    # 29, 30 September, holiday 1–7 October, 8, 9 and the worked Saturday 10 October.
    monkeypatch.setattr(due_dates, "today", lambda: dt.date(2026, 10, 10))
    shown = review_due_on(client, regulator, reverse("supervision:queue"))
    assert "2026-10-10" in shown and 'data-state="due_today"' in shown
    monkeypatch.setattr(due_dates, "today", lambda: dt.date(2026, 10, 12))
    shown = review_due_on(client, regulator, reverse("supervision:queue"))
    assert 'data-state="overdue"' in shown


def test_the_review_page_shows_it_from_the_setting(
    client, regulator, submission, settings, monkeypatch
):
    settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS = 15
    monkeypatch.setattr(due_dates, "today", lambda: dt.date(2026, 10, 20))
    url = reverse("supervision:review", args=[submission.assessment_id])
    shown = review_due_on(client, regulator, url)
    # 5 working days end on 10 October (above), then 12–16 and 19–23 October.
    assert "2026-10-23" in shown and 'data-state="upcoming"' in shown


def test_a_decided_submission_has_no_review_due_date(client, regulator, submission):
    from assessments.models import Assessment

    Assessment.objects.filter(pk=submission.assessment_id).update(status="accepted")
    client.force_login(regulator)
    page = client.get(reverse("supervision:queue")).content.decode()
    assert "review-due" not in page
