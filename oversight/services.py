"""Writes of the oversight app: export records, warning refreshes and acknowledgements."""

from portal import access
from portal.audit import audit_record


def export_record(*, user, kind: str, filters: dict[str, str]) -> None:
    """Every export is in the audit trail: who, which format, with which filters."""
    profile = access.regulator_profile(user)
    audit_record(actor=user, verb=f"export.{kind}", obj=profile, organisation=None, filters=filters)
