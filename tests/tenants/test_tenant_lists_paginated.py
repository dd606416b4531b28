"""The platform's lists of tenants (the vendor console, the public directory) show one page at
a time, in name order read from an index, however many tenants there are."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.persian import to_persian_digits
from tenants.models import Province, Tenant


def _many_tenants(count: int, status=Tenant.Status.ACTIVE) -> None:
    """Rows only (no schema): what the list pages read."""
    province = Province.objects.get(code="isfahan")
    Tenant.objects.bulk_create(
        Tenant(slug=f"many{n:04d}", schema_name=f"t_many{n:04d}", name=f"دهیاری نمونه {n:04d}", kind="dehyari",
               province=province, status=status)
        for n in range(count)
    )


def _rows(page: str) -> list[str]:
    return re.findall(r"دهیاری نمونه [0-9]{4}", page)


def test_the_console_lists_fifty_tenants_a_page_in_name_order(vendor_client):
    _many_tenants(120)
    first = vendor_client.get("/console/").content.decode()
    assert "صفحه ۱ از ۳" in first and "صفحه بعد" in first
    # «دهیاری بتا» sorts first, «شهرداری آلفا» last: 49 of the sample dehyaris on page one.
    assert "دهیاری بتا" in first and "شهرداری آلفا" not in first
    assert _rows(first) == [f"دهیاری نمونه {n:04d}" for n in range(49)]
    last = vendor_client.get("/console/", {"page": 3}).content.decode()
    assert "صفحه ۳ از ۳" in last and "صفحه قبل" in last and "شهرداری آلفا" in last
    searched = vendor_client.get("/console/", {"q": "نمونه", "page": 2}).content.decode()
    assert "صفحه ۲ از ۳" in searched and 'href="?q=%D9%86%D9%85%D9%88%D9%86%D9%87&amp;page=3"' in searched


def test_the_public_directory_lists_a_page_of_tenants(public_client):
    _many_tenants(130)
    serving = Tenant.objects.filter(status__in=Tenant.SERVING_STATUSES)
    others_first = serving.exclude(slug__startswith="many").filter(name__lt="دهیاری نمونه").count()
    first = public_client.get("/").content.decode()
    assert "صفحه ۱ از ۳" in first and len(_rows(first)) == 60 - others_first
    assert "فهرست دستگاه‌ها (" + to_persian_digits(str(serving.count())) + ")" in first


def test_a_page_of_the_console_is_read_through_the_name_index_among_thousands(vendor_client):
    _many_tenants(3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE public.tenants_tenant")
    with CaptureQueriesContext(connection) as captured:
        assert vendor_client.get("/console/", {"page": 7}).status_code == 200
    (listing,) = [q["sql"] for q in captured.captured_queries if "LIMIT 50" in q["sql"] and "tenants_tenant" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + listing)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using tenants_tenant_name on tenants_tenant" in plan, plan
