"""Celery tasks: score a submission (by id), and sweep up submissions left unscored.

A submission acknowledged to the user must always end up scored. The message is acknowledged
only after the task has run (acks_late); a worker killed mid-task leaves the message unacked
for Redis to redeliver, and the sweep re-enqueues anything still unscored a few minutes on
(broker down at submit time, worker lost). Scoring twice stores nothing new, so every extra
delivery is harmless.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from assessments import results

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
)
UNSCORED_AFTER = timedelta(minutes=5)
REPORTS_QUEUE = "reports"  # kept apart so a burst of reports never delays scoring
SWEEP_BATCH = 1000


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=12,
)
def score_submission(self, submission_id: int) -> str:
    """Score one submission; a repeated delivery finds the result and stores nothing."""
    stored = results.submission_score(submission_id)
    if stored is None:
        return "already scored"
    log.info("submission %s scored %s", submission_id, stored.overall_tier)
    if settings.REPORTS_PRERENDER:
        render_reports.apply_async(args=[submission_id], queue=REPORTS_QUEUE)
    return stored.overall_tier


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def render_reports(submission_id: int) -> int:
    """Render a scored submission's PDF reports ahead of the first download."""
    from assessments import reports

    return reports.prerender(submission_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_unscored(older_than_seconds: int | None = None) -> int:
    """Re-enqueue submissions still unscored after a few minutes; the number re-enqueued."""
    older_than = (
        UNSCORED_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    )
    ids = unscored_submission_ids(older_than=older_than)
    from assessments.services import enqueue_scoring

    for submission_id in ids:
        enqueue_scoring(submission_id)
    if ids:
        log.warning("re-enqueued %d unscored submission(s): %s", len(ids), ids[:20])
    return len(ids)


def unscored_submission_ids(*, older_than: timedelta, limit: int = SWEEP_BATCH) -> list[int]:
    """Submissions with no result, submitted (and last enqueued, if ever) before the cut-off."""
    from assessments.models import Submission

    cutoff = timezone.now() - older_than
    never_enqueued = Q(scoring_enqueued_at__isnull=True)
    return list(
        Submission.objects.filter(result__isnull=True, submitted_at__lte=cutoff)
        .filter(never_enqueued | Q(scoring_enqueued_at__lte=cutoff))
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def law_change_impact(edition_id: int) -> int:
    """An edition was published or its lineage corrected: flag the questions, mark the
    results, notify each party once (law_changes.law_change_compute is idempotent)."""
    from assessments.law_changes import law_change_compute

    law_change = law_change_compute(edition_id)
    return law_change.questions.count() if law_change else 0
