"""The three audit trails share one shape (lib/audit.py) and name their actions in one place."""

import pytest

from accounts.models import RoleAudit
from catalog.models import CardAudit
from lib.audit import AuditEntry
from lib.audit_changes import action_label
from tenants.models import TenantEvent


@pytest.mark.parametrize("model, kind", [(RoleAudit, "role"), (CardAudit, "card"), (TenantEvent, "tenant")])
def test_each_trail_is_an_audit_entry_whose_actions_are_its_labels(model, kind):
    assert issubclass(model, AuditEntry) and model._meta.ordering == ["-created_at", "-id"]
    assert {code: action_label(kind, code) for code in model.Action.values} == {code: str(label) for code, label in model.Action.choices}


def test_an_entry_reads_as_its_action_and_actor():
    assert str(CardAudit(action=CardAudit.Action.IMPORTED, actor="seed_demo")) == "از کارپوشه XLSX وارد شد — ساخت داده‌های نمونه"
    assert str(TenantEvent(action=TenantEvent.Action.SUSPEND, actor="vendor@mizban.test")) == "تعلیق شد — vendor@mizban.test"
