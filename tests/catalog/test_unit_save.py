"""Adding or changing a unit (/staff/catalog/units/) goes through catalog.services.unit_save and
is kept in the catalogue's audit trail: who, when, before and after."""

import pytest
from django_tenants.utils import schema_context

from catalog.models import CardAudit, Unit
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD

ADMIN = SESSION_TENANTS["alpha"]["admin_email"]


@pytest.fixture
def admin_a(client_a, tenant_a):
    assert client_a.post("/accounts/login/", {"login": ADMIN, "password": STAFF_PASSWORD}).status_code == 302
    with schema_context(tenant_a.schema_name):
        CardAudit.objects.all().delete()
    return client_a


def unit_post(**overrides) -> dict:
    return {"name": "اداره بایگانی", "kind": "office", "parent": "", "address": "", "phone": "031-1", "hours": "", "order": "5", **overrides}


def test_adding_and_changing_a_unit_is_audited(admin_a, tenant_a):
    assert admin_a.post("/staff/catalog/units/", unit_post()).status_code == 302
    with schema_context(tenant_a.schema_name):
        unit = Unit.objects.get(name="اداره بایگانی")
        added = CardAudit.objects.get()
    assert (added.action, added.actor, added.service, added.before) == ("unit_added", ADMIN, None, None)
    assert added.after["unit_name"] == "اداره بایگانی" and added.after["unit_phone"] == "031-1"

    assert admin_a.post(f"/staff/catalog/units/{unit.pk}/", unit_post(phone="031-2")).status_code == 302
    with schema_context(tenant_a.schema_name):
        edited = CardAudit.objects.exclude(pk=added.pk).get()
        assert Unit.objects.get(pk=unit.pk).phone == "031-2"
    assert edited.action == "unit_edited" and (edited.before["unit_phone"], edited.after["unit_phone"]) == ("031-1", "031-2")

    assert admin_a.post(f"/staff/catalog/units/{unit.pk}/", unit_post(phone="031-2")).status_code == 302
    with schema_context(tenant_a.schema_name):
        assert CardAudit.objects.count() == 2  # nothing changed, nothing recorded

    page = admin_a.get("/staff/audit/").content.decode()
    assert "واحد سازمانی ویرایش شد" in page and "تلفن" in page


def test_a_refused_unit_is_neither_saved_nor_audited(admin_a, tenant_a):
    response = admin_a.post("/staff/catalog/units/", unit_post(name=""))
    assert response.status_code == 200
    with schema_context(tenant_a.schema_name):
        assert not Unit.objects.filter(phone="031-1").exists() and not CardAudit.objects.exists()
