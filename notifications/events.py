"""What happened, as the rest of the portal tells it: one function per event, taking ids.

Callers run these after their transaction has committed (transaction.on_commit). Each one
decides who hears about the event and queues the mail (immediately or for the daily digest,
as each recipient chose).
"""


def submission_received(submission_id: int) -> None:
    """A first submission or a resubmission: the jurisdiction's regulators."""


def changes_requested(decision_id: int) -> None:
    """A regulator requested changes: the organisation's owners."""


def accepted(decision_id: int) -> None:
    """A regulator accepted the submission: the organisation's owners."""


def tier_overridden(override_id: int) -> None:
    """A regulator set a tier beside the computed one: the organisation's owners."""
