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


def today_is(monkeypatch, day: dt.date) -> None:
    """The date moves for the whole portal, as it does at midnight: the due-date tags and the
    page cache's key (the queue is served from it until the day changes) read the same clock."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr(due_dates.timezone, "localdate", localdate)


def review_due_on(client, user, url) -> str:
    client.force_login(user)
    page = client.get(url).content.decode()
    return page.split('class="review-due', 1)[1].split("</span></span>", 1)[0]


def test_the_queue_shows_the_review_due_date_and_overdue(
    client, regulator, submission, settings, monkeypatch
):
    settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS = 5
    # 29, 30 September, holiday 1–7 October, 8, 9 and the worked Saturday 10 October.
    today_is(monkeypatch, dt.date(2026, 10, 10))
    shown = review_due_on(client, regulator, reverse("supervision:queue"))
    assert "2026-10-10" in shown and 'data-state="due_today"' in shown
    today_is(monkeypatch, dt.date(2026, 10, 12))
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


def test_the_review_page_lists_the_periods_of_the_rules_with_the_authoritys_own(
    client, regulator, submission, monkeypatch
):
    from assessments.models import Submission
    from duedates.models import EventDate

    answers = dict(submission.answers)
    answers["NDS-05"] = {"value": "2025-10-01"}
    answers["ALGO-01"] = {"level": 3}
    Submission.objects.filter(pk=submission.pk).update(answers=answers)  # as if asked
    organisation = submission.assessment.organisation
    EventDate.objects.create(organisation=organisation, event="algo_filed", on=dt.date(2026, 9, 1))
    monkeypatch.setattr(due_dates, "today", lambda: dt.date(2026, 10, 15))
    client.force_login(regulator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("supervision:review", args=[submission.assessment_id]))
    listed = page.content.decode().split('id="review-windows"', 1)[1].split("</ul>", 1)[0]
    report = listed.split('data-window="important_data_report"', 1)[1].split("</li>", 1)[0]
    # A year after 1 October 2025 falls in the National Day holiday: 8 October 2026.
    assert "2026-10-08" in report and 'data-state="overdue"' in report and "NDSMR Art. 33" in report
    review = listed.split('data-window="algo_filing_review"', 1)[1].split("</li>", 1)[0]
    # 30 working days from 1 September 2026 (tests/duedates/test_windows.py): 19 October.
    assert "2026-10-19" in review and "Authority" in review and 'data-state="upcoming"' in review


def test_the_jurisdictions_regulators_are_reminded_of_a_review_once_each(
    regulator, out_of_jurisdiction_regulator, submission, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.core import mail

    from duedates import selectors, services
    from notifications.models import Notification

    settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS = 5
    items = [i for i in selectors.open_items() if i.kind == "review"]
    assert [i.due for i in items] == [dt.date(2026, 10, 10)]  # the worked Saturday
    with django_capture_on_commit_callbacks(execute=True):
        # Three working days before Saturday 10 October: 9, 8 and 30 September.
        assert services.reminders_send(dt.date(2026, 9, 29), items) == 0
        assert services.reminders_send(dt.date(2026, 9, 30), items) == 1
        assert services.reminders_send(dt.date(2026, 10, 12), items) == 1
        assert services.reminders_send(dt.date(2026, 10, 13), items) == 0
    notes = Notification.objects.filter(kind=Notification.Kind.DEADLINE)
    assert {n.recipient for n in notes} == {regulator}
    assert notes.count() == 2 and len(mail.outbox) == 2
    assert all("/review/" in n.link for n in notes)


def test_a_due_date_ahead_is_not_due_yet_rather_than_not_in_force():
    """未到期 for a date ahead; 尚未施行 belongs to an upcoming edition of a law."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        badge = render_to_string("duedates/_state.html", {"state": "upcoming"})
        edition = translation.gettext("Upcoming")
    assert "未到期" in badge and "尚未施行" not in badge
    assert edition == "尚未施行"
