"""Reads of accounts: staff by role, and the role changes' audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import RoleAudit, User


def active_staff_ids(*, roles: tuple[str, ...]) -> list[int]:
    """The current schema's active staff with one of `roles`, e.g. whom a notice addresses."""
    return list(User.objects.filter(is_active=True, role__in=roles).values_list("pk", flat=True))


def role_audit_recent(*, limit: int) -> QuerySet[RoleAudit]:
    """The newest role changes (RoleAudit's own ordering), for the audit page."""
    return RoleAudit.objects.all()[:limit]
