"""The nightly rollup over several tenants, and who sees which tenants on /insights/."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from insights.models import TenantMonth
from insights.rollup import rollup_tenants
from tests.clients import supervisor_client

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus

ESFAND = "?year=1402&month=12"


@pytest.fixture
def rolled(known, tenant_a, tenant_b, settings):
    settings.INSIGHTS_MIN_REQUESTS = 3
    assert rollup_tenants(tenants=[tenant_a, tenant_b], today=date(2024, 4, 1)) == 3
    return known


def test_the_rollup_holds_each_month(rolled, tenant_a, tenant_b):
    months = {row.month: row for row in TenantMonth.objects.filter(tenant=tenant_a)}
    assert sorted(months) == [140211, 140212, 140301]
    esfand = months[140212]
    assert (esfand.accepted, esfand.answered, esfand.late, esfand.on_time, esfand.days_sum, esfand.work_sum) == (5, 3, 2, 2, 18, 10)
    assert esfand.capabilities["2"] == [3, 5] and esfand.capabilities["10"] == [2, 3] and esfand.capabilities["1"] == [1, 2]
    assert not TenantMonth.objects.filter(tenant=tenant_b).exists()
    # A second run replaces the rows, it does not add to them.
    rollup_tenants(tenants=[tenant_a], today=date(2024, 4, 1))
    assert TenantMonth.objects.filter(tenant=tenant_a).count() == 3


def test_a_supervisor_sees_only_their_province(rolled, settings):
    tehran = supervisor_client(province="tehran", email="sup-tehran@mizban.test")
    html = tehran.get("/insights/" + ESFAND).content.decode()
    assert "شهرداری آلفا" in html and "دهیاری بتا" not in html
    fars = supervisor_client(province="fars", email="sup-fars@mizban.test")
    html = fars.get("/insights/" + ESFAND).content.decode()
    assert "دهیاری بتا" in html and "شهرداری آلفا" not in html
    book = load_workbook(io.BytesIO(fars.get("/insights/" + ESFAND + "&format=xlsx").content))
    assert "شهرداری آلفا" not in str(list(book["رتبه‌بندی"].iter_rows(values_only=True)))


def test_the_vendor_sees_all_ranked_and_apart(rolled, vendor_client):
    html = vendor_client.get("/insights/" + ESFAND).content.decode()
    assert "شهرداری آلفا" in html and "دهیاری بتا" in html
    ranked, apart = html.split("بدون رتبه")
    assert "شهرداری آلفا" in ranked and "دهیاری بتا" in apart
    rows = list(load_workbook(io.BytesIO(vendor_client.get("/insights/" + ESFAND + "&format=xlsx").content))["رتبه‌بندی"].iter_rows(values_only=True))
    alpha = next(r for r in rows if r[1] == "شهرداری آلفا")
    assert alpha[3:6] == (5, 3, 1) and alpha[7:9] == (50.0, 60.0)


def test_others_may_not(rolled, settings, public_client):
    no_province = supervisor_client(province="", email="sup-none@mizban.test")
    assert no_province.get("/insights/").status_code == 403
    assert public_client.get("/insights/").status_code == 302
