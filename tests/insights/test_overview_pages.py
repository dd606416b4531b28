"""/insights/ ranks a page of fifty at a time, read in rank order through an index, with the same
ranks as the whole comparison (the XLSX export); a supervisor's pages hold their province only."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from insights.models import ScopeMonth, TenantMonth
from insights.ranking import scope_months_rebuild, tenant_periods_store
from lib.persian import to_persian_digits
from tenants.models import Province, Tenant
from tests.clients import supervisor_client

ESFAND = {"year": "1402", "month": "12"}
NAME = "دهیاری رتبه"


def _ranked_tenants(count: int, *, provinces=("isfahan",), prefix: str = "rank") -> list[Tenant]:
    """Tenant rows only (no schema: the page reads the public schema), in `provinces` by turns,
    each with Esfand 1402's figures: 40 + n requests, capability 2 at (n * 7) % 100 per cent, so
    some totals tie."""
    rows = [Province.objects.get(code=code) for code in provinces]
    tenants = Tenant.objects.bulk_create(
        Tenant(slug=f"{prefix}{n:04d}", schema_name=f"t_{prefix}{n:04d}", name=f"{NAME} {prefix} {n:04d}", kind="dehyari",
               province=rows[n % len(rows)], status=Tenant.Status.ACTIVE)
        for n in range(count)
    )
    TenantMonth.objects.bulk_create(
        TenantMonth(tenant=tenant, month=140212, accepted=40 + n, answered=10, on_time=5, work_sum=30,
                    capabilities={"2": [(n * 7) % 100, 100]})
        for n, tenant in enumerate(tenants)
    )
    for tenant in Tenant.objects.filter(pk__in=[t.pk for t in tenants]).select_related("province"):
        tenant_periods_store(tenant=tenant, months=[140212])
    scope_months_rebuild()
    return tenants


def _page_ranks(html: str) -> list[tuple[int, str]]:
    """(rank, name) of each ranked row on the page."""
    rows = re.findall(r"<tr><td>([۰-۹]+)</td><td>([^<]+)</td>", html)
    return [(int(re.sub(r"[۰-۹]", lambda m: str("۰۱۲۳۴۵۶۷۸۹".index(m.group())), rank)), name) for rank, name in rows]


def _export_ranks(client, params) -> dict[str, int]:
    book = load_workbook(io.BytesIO(client.get("/insights/", {**params, "format": "xlsx"}).content))
    return {row[1]: row[5] for row in book["رتبه‌بندی"].iter_rows(min_row=2, values_only=True) if row[5] is not None}


@pytest.fixture
def ranked(db, settings):
    settings.INSIGHTS_MIN_REQUESTS = 30
    return _ranked_tenants(120)


def test_a_group_is_ranked_fifty_a_page_as_the_export_ranks_it(ranked, vendor_client):
    expected = _export_ranks(vendor_client, ESFAND)
    first = vendor_client.get("/insights/", ESFAND).content.decode()
    ranks = _page_ranks(first)
    assert [rank for rank, _name in ranks] == list(range(1, 51))
    assert all(expected[name] == rank for rank, name in ranks)
    assert 'href="?year=1402&amp;month=12&amp;group=dehyari-0&amp;page=2"' in first and "صفحه بعد (۲)" in first
    third = vendor_client.get("/insights/", {**ESFAND, "group": "dehyari-0", "page": "۳"}).content.decode()
    ranks = _page_ranks(third)
    assert [rank for rank, _name in ranks] == list(range(101, 121))
    assert all(expected[name] == rank for rank, name in ranks)
    assert "صفحه پیش (۲)" in third and "صفحه بعد" not in third and "(صفحه ۳)" in third
    # Nonsense asks for the first page, never an error.
    assert _page_ranks(vendor_client.get("/insights/", {**ESFAND, "group": "dehyari-0", "page": "x"}).content.decode())[0][0] == 1
    assert vendor_client.get("/insights/", {**ESFAND, "group": "nothing-9"}).status_code == 200


def test_the_trends_are_the_sums_of_every_tenant(ranked, vendor_client):
    page = vendor_client.get("/insights/", ESFAND).content.decode()
    accepted = sum(TenantMonth.objects.filter(month=140212).values_list("accepted", flat=True))
    assert ScopeMonth.objects.get(scope="", month=140212).accepted == accepted
    assert f"<td>اسفند ۱۴۰۲</td><td>{to_persian_digits(accepted)}</td>" in page


def test_a_supervisor_pages_through_their_province_only(ranked, settings):
    _ranked_tenants(3, provinces=("fars",), prefix="fars")
    isfahan = supervisor_client(province="isfahan", email="sup-isfahan@mizban.test")
    second = isfahan.get("/insights/", {**ESFAND, "group": "dehyari-0", "page": "2"}).content.decode()
    ranks = _page_ranks(second)
    assert [rank for rank, _name in ranks] == list(range(51, 101))
    assert "fars" not in second
    fars = supervisor_client(province="fars", email="sup-fars-2@mizban.test")
    page = fars.get("/insights/", ESFAND).content.decode()
    assert [name for _rank, name in _page_ranks(page)] == [f"{NAME} fars {n:04d}" for n in (2, 1, 0)]
    assert f"{NAME} rank" not in page and "دهیاری بتا" in page  # beta (fars) has too few requests
    # Another province's group pages are empty for them, not a way in.
    assert f"{NAME} rank" not in fars.get("/insights/", {**ESFAND, "group": "dehyari-0", "page": "2"}).content.decode()
    assert f"{NAME} rank" not in fars.get("/insights/", {**ESFAND, "group": "few"}).content.decode()
    assert "<td>اسفند ۱۴۰۲</td><td>۱۲۳</td>" in page  # the trends of fars alone: 40 + 41 + 42


def test_a_chosen_range_is_not_ranked_on_the_page(ranked, vendor_client):
    page = vendor_client.get("/insights/", {"from": "1402/12/01", "to": "1402/12/29"}).content.decode()
    assert "نه برای بازه‌ای دلخواه" in page and not _page_ranks(page) and "بدون رتبه" not in page
    assert _export_ranks(vendor_client, {"from": "1402/12/01", "to": "1402/12/29"})  # the export still ranks it


def _plan_of(client, params, marker: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/insights/", params).status_code == 200
    (listing,) = [q["sql"] for q in captured.captured_queries if marker in q["sql"] and "LIMIT 51" in q["sql"]
                  and "OFFSET 100" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + listing)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_page_is_read_through_the_rank_index_among_thousands(db, settings, vendor_client):
    settings.INSIGHTS_MIN_REQUESTS = 30
    # Half in Isfahan, the rest in nine other provinces: a province's page reads its own index, not the country's with a filter.
    others = [p.code for p in Province.objects.exclude(code="isfahan").order_by("code")[:9]]
    _ranked_tenants(3000, provinces=[code for other in others for code in (other, "isfahan")])
    with connection.cursor() as cursor:
        for table in ("tenants_tenant", "insights_tenantperiod", "insights_tenantmonth"):
            cursor.execute(f"ANALYZE public.{table}")
    page_3 = {**ESFAND, "group": "dehyari-0", "page": "3"}
    plan = _plan_of(vendor_client, page_3, '"insights_tenantperiod"')
    assert "Index Scan using insights_period_rank on insights_tenantperiod" in plan and "Sort" not in plan, plan
    assert "Seq Scan" not in plan, plan
    isfahan = supervisor_client(province="isfahan", email="sup-isfahan-3@mizban.test")
    plan = _plan_of(isfahan, page_3, '"insights_tenantperiod"')
    # The province's own index, its group's range only; whether the planner then walks it in rank
    # order or sorts that range (here it guesses 230 of the 1,500 rows) is its choice by the range's size.
    assert re.search(r"(Index Scan using|Bitmap Index Scan on) insights_period_province_rank\b", plan), plan
    assert "province_code)::text = 'isfahan'" in plan and "Seq Scan" not in plan, plan
    few = {"year": "1403", "group": "few", "page": "3"}  # nobody has a row for 1403: all are too few
    plan = _plan_of(vendor_client, few, '"tenants_tenant"."name"')
    assert "Index Scan using tenants_tenant_name on tenants_tenant" in plan, plan
    plan = _plan_of(isfahan, few, '"tenants_tenant"."name"')
    # In name order from an index: the province's own, or (half the tenants being Isfahan's here) the name index.
    assert re.search(r"Index Scan using tenants_tenant_(province_)?name on tenants_tenant", plan), plan
    assert "Seq Scan" not in plan and not re.search(r"(?<!Incremental )Sort  ", plan), plan
