"""Sending from the outbox: once, after the commit, again after a broker outage; the digest."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from notifications import events, services, tasks
from notifications.models import Notification
from portal.celery import app
from tests.factories import RegulatorProfileFactory
from tests.notifications.conftest import SITE, prefer

pytestmark = pytest.mark.django_db


def notification_for(user, *, digest=False, subject="主题", minutes_ago=0, **extra):
    return Notification.objects.create(
        recipient=user,
        kind="submission",
        subject=subject,
        body="正文",
        link=f"{SITE}/review/1/",
        language="zh-hans",
        digest=digest,
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **extra,
    )


# --------------------------------------------------------------------------- immediate


def test_sending_marks_the_row_sent_and_a_second_delivery_sends_nothing(regulator):
    row = notification_for(regulator)
    assert tasks.send_notification.delay(row.pk).get() is True
    assert tasks.send_notification.delay(row.pk).get() is False
    row.refresh_from_db()
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "主题" and mail.outbox[0].to == [regulator.email]


def test_the_mail_carries_the_link_and_an_absolute_link_to_the_preferences(regulator):
    row = notification_for(regulator)
    services.notification_send(row.pk)
    body = mail.outbox[0].body
    assert f"{SITE}/review/1/" in body
    assert f"{SITE}/notifications/preferences/" in body


def test_a_row_claimed_by_another_sender_is_left_to_it(regulator):
    row = notification_for(regulator, claimed_at=timezone.now())
    assert services.notification_send(row.pk) is False
    assert mail.outbox == []


def test_a_claim_left_by_a_dead_sender_expires_and_the_row_is_sent(regulator):
    row = notification_for(
        regulator, claimed_at=timezone.now() - services.CLAIM_LEASE - dt.timedelta(seconds=1)
    )
    assert services.notification_send(row.pk) is True
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_and_raises_for_a_retry(regulator):
    row = notification_for(regulator)
    with mock.patch(
        "notifications.services.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected
    ):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.notification_send(row.pk)
    row.refresh_from_db()
    assert (row.claimed_at, row.sent_at) == (None, None)
    assert services.notification_send(row.pk) is True


def test_the_send_task_retries_mail_server_errors_with_backoff():
    task = app.tasks["notifications.tasks.send_notification"]
    assert task.acks_late is True
    assert issubclass(smtplib.SMTPException, task.autoretry_for)
    assert task.retry_backoff and task.max_retries >= 5


def test_a_digest_row_is_never_sent_on_its_own(regulator):
    row = notification_for(regulator, digest=True)
    assert services.notification_send(row.pk) is False
    assert mail.outbox == []


# --------------------------------------------------------------------------- broker outage


def test_a_broker_outage_keeps_the_row_and_the_sweep_sends_it(
    submission, regulator, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.send_notification, "delay", side_effect=BrokerError("down")):
        with django_capture_on_commit_callbacks(execute=True):
            events.submission_received(submission.pk)
    row = Notification.objects.get(recipient=regulator)
    assert row.sent_at is None and mail.outbox == []
    assert tasks.sweep_unsent.delay(older_than_seconds=0).get() == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [[regulator.email]]


def test_the_sweep_picks_only_immediate_rows_left_unsent_for_a_while(regulator):
    old = notification_for(regulator, minutes_ago=10)
    notification_for(regulator, minutes_ago=1)  # its task may still be on the way
    notification_for(regulator, minutes_ago=10, digest=True)  # waits for the digest
    notification_for(regulator, minutes_ago=10, sent_at=timezone.now())
    notification_for(regulator, minutes_ago=10, claimed_at=timezone.now())  # being sent
    notification_for(regulator, minutes_ago=3 * 24 * 60)  # given up on
    assert tasks.unsent_notification_ids(older_than=tasks.UNSENT_AFTER) == [old.pk]
    assert tasks.sweep_unsent.delay().get() == 1
    assert len(mail.outbox) == 1


def test_the_beat_schedule_sweeps_every_minute_and_sends_the_digest_at_eight():
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-unsent-notifications"]
    digest = settings.CELERY_BEAT_SCHEDULE["send-notification-digests"]
    assert sweep["task"] in app.tasks and digest["task"] in app.tasks
    assert sweep["schedule"] == 60.0
    assert digest["schedule"].hour == {8} and digest["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


# --------------------------------------------------------------------------- digest


def test_the_digest_sends_one_mail_per_recipient_listing_every_waiting_row(regulator):
    other = RegulatorProfileFactory().user
    for n in range(3):
        notification_for(regulator, digest=True, subject=f"第{n}件")
    notification_for(other, digest=True, subject="另一件")
    assert tasks.send_digests.delay().get() == 2
    (to_regulator,) = [m for m in mail.outbox if m.to == [regulator.email]]
    assert all(f"第{n}件" in to_regulator.body for n in range(3))
    assert "另一件" not in to_regulator.body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_running_the_digest_again_sends_nothing(regulator):
    notification_for(regulator, digest=True)
    assert tasks.send_digests.delay().get() == 1
    assert tasks.send_digests.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_digest_leaves_immediate_and_sent_rows_alone(regulator):
    notification_for(regulator, digest=True, subject="待汇总")
    notification_for(regulator, subject="即时")
    notification_for(regulator, digest=True, subject="已发送", sent_at=timezone.now())
    tasks.send_digests.delay().get()
    (message,) = mail.outbox
    assert "待汇总" in message.body
    assert "即时" not in message.body and "已发送" not in message.body


def test_the_digest_is_written_in_the_recipients_language(regulator):
    prefer(regulator, delivery="digest", language="en")
    notification_for(regulator, digest=True)
    notification_for(regulator, digest=True)
    tasks.send_digests.delay().get()
    assert mail.outbox[0].subject == "Hegui daily digest: 2 notifications"


def test_a_failed_digest_is_retried_and_does_not_stop_the_others(regulator):
    other = RegulatorProfileFactory().user
    notification_for(regulator, digest=True)
    notification_for(other, digest=True)
    real_send = mail.EmailMessage.send

    def refuse_regulator(message, *args, **kwargs):
        if message.to == [regulator.email]:
            raise smtplib.SMTPRecipientsRefused({})
        return real_send(message, *args, **kwargs)

    with mock.patch("notifications.services.EmailMessage.send", refuse_regulator):
        with pytest.raises(smtplib.SMTPException):
            tasks.send_digests()
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert Notification.objects.get(recipient=regulator).claimed_at is None
    assert tasks.send_digests() == 1
    assert len(mail.outbox) == 2
