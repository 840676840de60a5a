from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def send_due_reminders() -> int:
    """Daily (beat): the reminders due today, each once."""
    from duedates.services import reminders_send

    return reminders_send(timezone.localdate())
