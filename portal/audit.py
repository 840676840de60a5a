"""The audit trail: one function writes every event, so each carries the same fields."""

from portal.models import AuditEvent


def audit_record(*, actor, verb: str, obj, organisation, **data) -> AuditEvent:
    """Record that `actor` did `verb` to `obj` (of `organisation`); `data` adds details.

    Events about an assessment carry its id in `data["assessment"]`, so its timeline is one
    query whatever the object (a submission, an evidence file, a comment).
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        organisation=organisation,
        data=data,
    )
