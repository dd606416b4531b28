"""What the tenancy costs a request (README, "What tenancy costs a request"): one SQL
statement (the search_path) once the host map is warm, and look-ups that stay index scans
however many tenants the public schema holds."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, TrackingCode
from tenants.selectors import tenant_for_host
from tenants.tracking_codes import tracking_code_new, tracking_code_tenant
from tests.clients import host_client

# Statements of the tenancy: choosing the schema, and finding the tenant or its host.
TENANCY = re.compile(r"^\s*SET search_path|\b(tenants_domain|tenants_tenant|tenants_province)\b", re.I)


def _tenancy_statements(client, path: str) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    return [sql for sql in statements if TENANCY.search(sql)], len(statements)


def test_a_tenant_page_costs_the_tenancy_one_statement_once_the_host_map_is_warm(alpha_catalog, client_a):
    cold, _ = _tenancy_statements(client_a, "/services/")
    # The first request for a host in HOST_CACHE_TTL_SECONDS also reads its tenant, on the
    # public schema's search_path: three statements, once a minute per host and process.
    assert len(cold) == 3 and "tenants_domain" in cold[1]
    for path in ("/services/", "/services/10901010100/", "/track/", "/"):
        tenancy, total = _tenancy_statements(client_a, path)
        # At most one: a page that reads nothing from its schema (all cached) sends none.
        assert len(tenancy) <= 1 and all(sql.startswith("SET search_path") for sql in tenancy), (path, tenancy, total)


def test_a_verified_custom_domain_costs_the_same_and_an_unverified_one_is_refused(alpha_catalog, tenant_a):
    Domain.objects.create(domain="e.alpha-city.ir", tenant=tenant_a, is_custom=True, is_verified=True)
    Domain.objects.create(domain="new.alpha-city.ir", tenant=tenant_a, is_custom=True, is_verified=False)
    custom = host_client("e.alpha-city.ir")
    _tenancy_statements(custom, "/services/")  # warms the host map
    tenancy, _total = _tenancy_statements(custom, "/services/")
    assert len(tenancy) == 1 and tenancy[0].startswith("SET search_path")
    assert host_client("new.alpha-city.ir").get("/services/").status_code == 404


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE public.{table}")


def test_the_host_look_up_is_an_index_scan_among_a_thousand_tenants_domains(tenant_a):
    Domain.objects.bulk_create(
        Domain(domain=f"city{n}.alpha-city.ir", tenant=tenant_a, is_custom=True, is_verified=True) for n in range(3000)
    )
    _analyze("tenants_domain", "tenants_tenant")
    with CaptureQueriesContext(connection) as captured:
        assert tenant_for_host("city1234.alpha-city.ir") == tenant_a
    (look_up,) = [q["sql"] for q in captured.captured_queries if "tenants_domain" in q["sql"]]
    plan = _plan(look_up)
    assert re.search(r"Index Scan using tenants_domain_domain_\w+ on tenants_domain", plan), plan
    assert "Seq Scan on tenants_domain" not in plan, plan


def test_the_platform_tracking_index_is_an_index_scan_among_many_codes(tenant_a):
    TrackingCode.objects.bulk_create(TrackingCode(code=tracking_code_new(), tenant=tenant_a) for _ in range(20000))
    code = TrackingCode.objects.order_by("?").values_list("code", flat=True).first()
    _analyze("tenants_trackingcode", "tenants_tenant")
    with CaptureQueriesContext(connection) as captured:
        assert tracking_code_tenant(code) == tenant_a
    (look_up,) = [q["sql"] for q in captured.captured_queries if "tenants_trackingcode" in q["sql"]]
    plan = _plan(look_up)
    assert re.search(r"Index Scan using tenants_trackingcode_code_\w+ on tenants_trackingcode", plan), plan
    assert "Seq Scan on tenants_trackingcode" not in plan, plan
