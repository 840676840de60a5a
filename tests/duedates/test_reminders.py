"""Reminders before a due date and once it has passed, each sent once (beat job run twice);
result deadlines that end on a holiday move to the next working day."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from assessments.results import deadline_date
from duedates import services
from duedates.models import ReminderSent
from duedates.selectors import DueItem
from notifications.models import Notification
from portal.models import Membership
from tests.factories import UserFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def item(organisation):
    owner = UserFactory(email="owner@example.cn")
    Membership.objects.create(user=owner, organisation=organisation, role=Membership.Role.OWNER)
    return DueItem(
        item="remediation:1:CSL-04",
        due=D(2026, 10, 9),
        organisation_id=organisation.pk,
        assessment_id=1,
        question="CSL-04",
        title_zh="网络日志留存",
        title_en="Network logs kept",
    )


def test_each_reminder_is_sent_once(item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(D(2026, 9, 28), [item]) == 0  # too early
        assert services.reminders_send(D(2026, 9, 29), [item]) == 1  # 3 working days before
        assert services.reminders_send(D(2026, 9, 30), [item]) == 0  # already sent
        assert services.reminders_send(D(2026, 10, 9), [item]) == 0  # the due day itself
        assert services.reminders_send(D(2026, 10, 10), [item]) == 1  # passed
        assert services.reminders_send(D(2026, 10, 10), [item]) == 0  # the job ran twice
        assert services.reminders_send(D(2026, 10, 12), [item]) == 0
    assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == ["before", "passed"]
    notes = Notification.objects.filter(kind=Notification.Kind.DEADLINE)
    assert notes.count() == 2
    subjects = sorted(n.subject for n in notes)
    assert any("2026-10-09" in s for s in subjects)
    assert len(mail.outbox) == 2


def test_the_beat_schedule_runs_the_reminders_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] == "duedates.tasks.send_due_reminders"


def test_a_result_deadline_ending_in_the_national_day_holiday_moves_to_the_next_working_day():
    assert deadline_date({"deadline_days": 7}, D(2026, 9, 24)) == D(2026, 10, 8)
    assert deadline_date({"deadline_days": 7}, D(2026, 11, 30)) == D(2026, 12, 7)
    # No official calendar for 2027 yet: the plain date, not a guess.
    assert deadline_date({"deadline_days": 90}, D(2026, 12, 1)) == D(2027, 3, 1)
