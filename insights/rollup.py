"""The rollup: each tenant's figures per Jalali month, written to the public schema (nightly,
after `seed_demo`, on the vendor's demand, and soon after a tenant's new requests)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from insights.models import TenantMonth
from insights.periods import Period, _month_after, month_key, month_period
from insights.ranking import SUMMED, scope_months_apply, tenant_periods_store
from insights.reports import TZ, local_midnight
from insights.scorecard import REQUEST_COUNTS_SQL, RequestCounts, capability_counts_of, service_counts
from insights.sql_names import TABLES
from insights.workdays import calendar_build
from tenants.selectors import tenants_live

MONTH_SQL = """
WITH cal AS (SELECT * FROM unnest(%(days)s::date[], %(idx)s::int[], %(months)s::int[]) AS c(d, idx, jm)),
r AS (
    SELECT r.*, (r.submitted_at AT TIME ZONE %(tz)s)::date AS sd, (r.answered_at AT TIME ZONE %(tz)s)::date AS ad
    FROM {requests} r WHERE r.submitted_at >= %(start)s AND r.submitted_at < %(end)s
)
SELECT cs.jm,
       COUNT(*) FILTER (WHERE CASE WHEN r.ad IS NULL THEN r.promised_date < %(today)s ELSE r.ad > r.promised_date END),
       COALESCE(SUM(r.ad - r.sd), 0), COALESCE(SUM(ca.idx - cs.idx), 0),
       {request_counts}
FROM r JOIN cal cs ON cs.d = r.sd LEFT JOIN cal ca ON ca.d = r.ad
GROUP BY cs.jm
""".format(request_counts=REQUEST_COUNTS_SQL, **TABLES)


def recent_months(count: int, *, today=None) -> Period:
    """The last `count` Jalali months up to and including this one, as one range."""
    key = month_key(today or timezone.localdate())
    first = month_period(*_month_after(key // 100, key % 100, -(count - 1)))
    current = month_period(key // 100, key % 100)
    return Period("range", first.start, current.end)


def tenant_months_compute(*, span: Period, today=None) -> list[dict]:
    """This tenant's rows for every month of `span` that has requests (call inside its schema)."""
    today = today or timezone.localdate()
    cal = calendar_build(span.start - timedelta(days=1), max(span.end, today) + timedelta(days=1))
    params = {"days": cal.days, "idx": cal.index, "months": cal.months, "tz": TZ, "today": today,
              "start": local_midnight(span.start), "end": local_midnight(span.end)}
    with connection.cursor() as cursor:
        cursor.execute(MONTH_SQL, params)
        rows = cursor.fetchall()
    services = service_counts()
    found = []
    for jm, late, days, work, *counted in rows:
        requests = RequestCounts(*counted)
        capabilities = capability_counts_of(requests, services)
        found.append({"month": jm, "accepted": requests.accepted, "answered": requests.answered, "late": late,
                      "on_time": requests.on_time, "days_sum": days, "work_sum": work,
                      "capabilities": {str(number): list(counts) for number, counts in capabilities.items()}})
    return found


def rollup_tenant(*, tenant, span: Period, today=None) -> int:
    """Recompute and store `span`'s months of one tenant in one transaction (the page never sees
    a tenant half-written); the caller's schema is left as it was."""
    with schema_context(tenant.schema_name):
        rows = tenant_months_compute(span=span, today=today)
    keys = {month_key(span.start), month_key(span.end - timedelta(days=1))}
    with schema_context(get_public_schema_name()), transaction.atomic():
        replaced = TenantMonth.objects.filter(tenant=tenant, month__gte=min(keys), month__lte=max(keys))
        old = list(replaced.values("month", *SUMMED))
        replaced.delete()
        TenantMonth.objects.bulk_create([TenantMonth(tenant=tenant, **row) for row in rows])
        # The ranking's periods and the trends' sums move with the months, in the same transaction.
        tenant_periods_store(tenant=tenant, months=sorted({row["month"] for row in old + rows}))
        scope_months_apply(tenant=tenant, old=old, new=rows)
    return len(rows)


def rollup_tenants(*, tenants, months: int = 13, today=None, progress=None) -> int:
    """Recompute and store the last `months` months of each tenant; returns the rows written.
    `progress(done)` is called after each tenant."""
    span = recent_months(months, today=today)
    written = 0
    for done, tenant in enumerate(tenants, 1):
        written += rollup_tenant(tenant=tenant, span=span, today=today)
        if progress:
            progress(done)
    return written


def rollup_all(*, months: int = 13, today=None) -> int:
    return rollup_tenants(tenants=list(tenants_live()), months=months, today=today)
