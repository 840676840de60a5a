"""Celery tasks: send one notification (by id), sweep up unsent ones, send the daily digests.

Every task is safe to run twice: a row is claimed by a conditional update before its mail is
sent and marked sent after (see notifications/services.py for the one case that resends).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from notifications import services
from notifications.models import Notification

log = logging.getLogger(__name__)

# SMTP errors (smtplib.SMTPException) and refused connections are OSErrors.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
UNSENT_AFTER = timedelta(minutes=5)
# A mail still failing after two days (a dead address) is left alone rather than retried forever.
GIVE_UP_AFTER = timedelta(days=2)
SWEEP_BATCH = 500


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification(self, notification_id: int) -> bool:
    """Send one immediate notification; a repeated delivery finds it sent and does nothing."""
    return services.notification_send(notification_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_unsent(older_than_seconds: int | None = None) -> int:
    """Re-enqueue immediate notifications still unsent after a few minutes; how many."""
    older_than = (
        UNSENT_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    )
    ids = unsent_notification_ids(older_than=older_than)
    for notification_id in ids:
        services.enqueue_send(notification_id)
    if ids:
        log.warning("re-enqueued %d unsent notification(s): %s", len(ids), ids[:20])
    return len(ids)


def unsent_notification_ids(*, older_than: timedelta, limit: int = SWEEP_BATCH) -> list[int]:
    """Immediate notifications not sent, written before the cut-off, and not held by a sender."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            digest=False,
            sent_at__isnull=True,
            created_at__lte=now - older_than,
            created_at__gte=now - GIVE_UP_AFTER,
        )
        .filter(services.unclaimed(now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def send_digests() -> int:
    """One mail per recipient listing their unsent digest notifications; how many mails.

    A recipient whose mail fails does not stop the others; the task then raises so that it is
    retried, and the retry sends only what is still unsent.
    """
    recipients = (
        Notification.objects.filter(digest=True, sent_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent, failure = 0, None
    for recipient_id in list(recipients):
        try:
            sent += 1 if services.digest_send(recipient_id) else 0
        except TRANSIENT_ERRORS as error:
            log.warning("digest for user %s failed", recipient_id, exc_info=True)
            failure = error
    if failure is not None:
        raise failure
    return sent
