"""Units are listed as a person sorts them — «منطقه ۲» before «منطقه ۱۰» — with Persian
digits, everywhere they are listed: the portal's /units/, the staff list, select boxes."""

import re

import pytest
from django_tenants.utils import schema_context

from catalog.models import Service, Unit
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, unit_make

EXPECTED = ["منطقه ۱", "منطقه ۲", "منطقه ۳", "منطقه ۱۰", "منطقه ۱۱"]


@pytest.fixture
def districts(alpha_catalog, tenant_a):
    with schema_context(tenant_a.schema_name):
        Unit.objects.filter(name__startswith="شهرداری منطقه").update(name="اداره بایگانی")  # the demo's own districts
        made = [unit_make(name=f"منطقه {n}", kind="district") for n in (10, 2, 11, 1, 3)]
        for service in Service.objects.filter(status="published"):
            service.units.add(*made)
    return made


def _order(names: list[str]) -> list[str]:
    return [name for name in names if name in EXPECTED]


def test_portal_units_page(districts, client_a):
    html = client_a.get("/units/").content.decode()
    assert _order(re.findall(r"<h2 id=\"unit-\d+\">([^<]+?) <span", html)) == EXPECTED
    assert "منطقه 1" not in html


def test_staff_lists_and_select_boxes(districts, client_a):
    assert client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD}).status_code == 302
    units_page = client_a.get("/staff/catalog/units/").content.decode()
    assert _order(re.findall(r'<a href="/staff/catalog/units/\d+/">([^<]+)</a>', units_page)) == EXPECTED
    for page in ("/staff/requests/", "/staff/team/"):
        options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", client_a.get(page).content.decode())
        assert _order(options) == EXPECTED, page
    with schema_context("t_alpha"):
        service = Service.objects.filter(status="published").first()
        assert [u.name for u in service.units.all() if u.name.startswith("منطقه")] == ["منطقه 1", "منطقه 2", "منطقه 3", "منطقه 10", "منطقه 11"]


def test_the_wizard_unit_select_box(districts, client_a):
    with schema_context("t_alpha"):
        national_id = Service.objects.filter(status="published").first().national_id
    html = client_a.get(f"/requests/new/?service={national_id}").content.decode()
    assert _order(re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", html)) == EXPECTED
