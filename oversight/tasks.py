"""The beat job of the early warnings: recompute the rules, store what is new."""

from celery import shared_task

from oversight import services


@shared_task(name="oversight.tasks.refresh_warnings")
def refresh_warnings() -> int:
    return services.warnings_refresh()


@shared_task(name="oversight.tasks.build_export", acks_late=True)
def build_export(job_id: int) -> int | None:
    """Write a large XLSX export into its stored file (see services.export_build)."""
    return services.export_build(job_id)


@shared_task(name="oversight.tasks.purge_exports")
def purge_exports() -> int:
    return services.exports_purge()


@shared_task(name="oversight.tasks.refresh_tallies")
def refresh_tallies() -> int:
    """Count the dashboard's findings figures again (oversight.tallies)."""
    from oversight import tallies

    return tallies.refresh()
