"""The beat job of the early warnings: recompute the rules, store what is new."""

from celery import shared_task

from oversight import services


@shared_task(name="oversight.tasks.refresh_warnings")
def refresh_warnings() -> int:
    return services.warnings_refresh()
