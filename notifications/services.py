"""Writing notifications to the outbox and sending them.

Every event writes one row per recipient, rendered in the recipient's language, in the same
transaction that handles the event; the mails go out afterwards, so a broken mail server or
broker never loses one:

- immediate rows are handed to a task by id once the transaction has committed; if the broker
  is down, the periodic sweep picks them up a few minutes later;
- digest rows wait for the daily digest, one mail per recipient listing all of them.

A sender claims rows with a conditional update before sending and marks them sent after. A
crash between the two (the mail gone, the mark not written) resends once the claim has
expired: a person may, rarely, receive a mail twice, but never misses one.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification, NotificationPreference

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died; the row may be sent again.
CLAIM_LEASE = timedelta(minutes=10)

Renderer = Callable[[], tuple[str, str]]


def absolute_url(path: str) -> str:
    """A link that works from a mail: the site's address (SITE_URL) before the path."""
    return settings.SITE_URL.rstrip("/") + path


def preference_for(user) -> NotificationPreference:
    """The user's preference, or the defaults (unsaved) when they never chose."""
    try:
        return NotificationPreference.objects.get(user=user)
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@transaction.atomic
def preference_save(*, user, delivery: str, language: str) -> NotificationPreference:
    """Store how `user` wants to receive mails (validated against the choices)."""
    preference = preference_for(user)
    preference.delivery = delivery
    preference.language = language
    preference.full_clean()
    preference.save()
    return preference


def notifications_queue(
    *, recipients: Iterable, kind: str, link: str, render: Renderer
) -> list[Notification]:
    """Write one notification per recipient and send the immediate ones after the commit.

    `render()` returns (subject, body); it is called once per language, with that language
    active, so labels and gettext strings come out in the recipient's language.
    """
    recipients = [user for user in recipients if user.is_active and user.email]
    chosen = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=recipients)}
    texts: dict[str, tuple[str, str]] = {}
    rows = []
    for user in recipients:
        preference = chosen.get(user.pk) or NotificationPreference(user=user)
        if preference.language not in texts:
            with translation.override(preference.language):
                texts[preference.language] = render()
        subject, body = texts[preference.language]
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                subject=" ".join(subject.split())[:250],
                body=body.strip(),
                link=link,
                language=preference.language,
                digest=preference.delivery == NotificationPreference.Delivery.DIGEST,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        for row in created:
            if not row.digest:
                transaction.on_commit(lambda pk=row.pk: enqueue_send(pk))
    return created


def enqueue_send(notification_id: int) -> None:
    """Hand one notification to the worker; if the broker is down, the sweep sends it later."""
    from notifications import tasks

    try:
        tasks.send_notification.delay(notification_id)
    except Exception:  # noqa: BLE001 - the row is in the outbox; the sweep will send it
        log.warning(
            "broker unavailable; notification %s left for the sweep", notification_id, exc_info=True
        )


def unclaimed(now) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_LEASE)


def notification_send(notification_id: int) -> bool:
    """Send one immediate notification unless it has been sent or another sender holds it.

    Returns whether this call sent it. A failure releases the claim and raises, so the task
    retries (with backoff) and the sweep can take the row later.
    """
    now = timezone.now()
    pending = Notification.objects.filter(pk=notification_id, sent_at__isnull=True, digest=False)
    if not pending.filter(unclaimed(now)).update(claimed_at=now):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        mail_send(
            to=notification.recipient,
            language=notification.language,
            subject=notification.subject,
            template="notifications/mail/immediate.txt",
            context={"notification": notification},
        )
    except Exception:
        Notification.objects.filter(pk=notification_id, claimed_at=now).update(claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now())
    return True


def digest_send(recipient_id: int) -> int:
    """Send `recipient_id` one mail listing every unsent digest notification; how many it listed.

    The claim time doubles as the claim's token: rows claimed by this call are exactly the
    recipient's rows whose claimed_at equals it, so a concurrent run claims and sends nothing.
    """
    now = timezone.now()
    pending = Notification.objects.filter(
        recipient_id=recipient_id, digest=True, sent_at__isnull=True
    )
    if not pending.filter(unclaimed(now)).update(claimed_at=now):
        return 0
    rows = list(pending.filter(claimed_at=now).select_related("recipient"))
    recipient = rows[0].recipient
    language = preference_for(recipient).language
    try:
        mail_send(
            to=recipient,
            language=language,
            subject=digest_subject(len(rows), language),
            template="notifications/mail/digest.txt",
            context={"notifications": rows},
        )
    except Exception:
        pending.filter(claimed_at=now).update(claimed_at=None)
        raise
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return len(rows)


def digest_subject(count: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Hegui daily digest: %(count)d notification",
            "Hegui daily digest: %(count)d notifications",
            count,
        ) % {"count": count}


def mail_send(*, to, language: str, subject: str, template: str, context: dict) -> None:
    """One plain-text mail in `language`, with the greeting and the footer every mail has."""
    with translation.override(language):
        body = render_to_string(
            template,
            {
                **context,
                "recipient": to,
                "preferences_link": absolute_url(reverse("notifications:preferences")),
                "site_name": _("Hegui compliance portal"),
            },
        )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to.email]).send()
