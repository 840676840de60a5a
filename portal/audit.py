"""The audit trail: one function writes every event, so each carries the same fields."""

from portal.models import AuditEvent


def audit_record(*, actor, verb: str, obj, organisation, **data) -> AuditEvent:
    """Record that `actor` did `verb` to `obj` (of `organisation`); `data` adds details.

    Events about an assessment carry its id in `data["assessment"]`, so its timeline is one
    query whatever the object (a submission, an evidence file, a comment). The actor's e-mail
    address and name are copied in, so the event still names them after the account is deleted.
    """
    person = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=person,
        actor_email=getattr(person, "email", "") or "",
        actor_name=(getattr(person, "full_name", "") or "")[:150],
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        organisation=organisation,
        data=data,
    )
