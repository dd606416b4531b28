"""The one shape of an audit trail: who did what, when, newest first.

RoleAudit (accounts), CardAudit (catalog) and TenantEvent (tenants) inherit it. Each
declares its own `Action` TextChoices and overrides `action` with them, so that call sites
name an action (`CardAudit.Action.IMPORTED`) instead of typing a string, and the labels
that `lib/audit_changes.py` shows are those choices' labels: one place per action.
"""

from __future__ import annotations

from django.db import models

from lib.audit_changes import action_label, actor_label


class AuditEntry(models.Model):
    """Who (an e-mail or a system actor such as "stripe"), what (`action`), when."""

    # The registry kind of lib/audit_changes ("role", "card", "tenant") that says this trail in words.
    audit_kind = ""

    actor = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{action_label(self.audit_kind, self.action)} — {actor_label(self.actor)}"


class AuditChange(AuditEntry):
    """An audit entry that keeps the snapshots before and after the change, as raw values."""

    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta(AuditEntry.Meta):
        abstract = True
