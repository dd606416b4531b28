"""The ranking of /insights/ kept ready in the public schema: each tenant's figures per Jalali
month, quarter and year (`TenantPeriod`), and the months' sums per scope (`ScopeMonth`), both
written by the tenant's own rollup. The page then reads one page of a group in rank order
through an index, and at most twelve trend rows, whatever the number of tenants."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Exists, F, OuterRef, Subquery

from insights.models import ScopeMonth, TenantMonth, TenantPeriod
from insights.periods import Period
from insights.scorecard import capabilities_from_counts, total_score
from tenants.models import Province

PAGE_SIZE = 50
SIZE_FLOORS = (0, 500, 5000)  # compare.SIZE_BANDS' floors, in order
SCOPE_ALL = ""


def period_key(period: Period) -> str | None:
    """The key a month, a quarter or a year is stored under; None for a chosen range (not kept)."""
    if period.kind == "month":
        return f"m{period.year * 100 + period.number}"
    if period.kind == "quarter":
        return f"q{period.year}-{period.number}"
    if period.kind == "year":
        return f"y{period.year}"
    return None


def _keys_of_month(month: int) -> tuple[str, str, str]:
    year, number = divmod(month, 100)
    return f"m{month}", f"q{year}-{(number - 1) // 3 + 1}", f"y{year}"


def band_of(accepted: int) -> int:
    return max(index for index, floor in enumerate(SIZE_FLOORS) if accepted >= floor)


def months_sum(rows) -> dict:
    """Counts summed over `rows` (TenantMonth, in month order); capabilities 1 and 8 are snapshots
    of the catalogue, so the latest month's stand."""
    entry = {"accepted": 0, "answered": 0, "late": 0, "on_time": 0, "work_sum": 0, "caps": {}, "computed_at": None}
    for row in rows:
        entry["computed_at"] = max(filter(None, (entry["computed_at"], row.computed_at)), default=None)
        for key in ("accepted", "answered", "late", "on_time", "work_sum"):
            entry[key] += getattr(row, key)
        for number, (num, den) in row.capabilities.items():
            if number in ("1", "8"):
                entry["caps"][number] = [num, den]
            else:
                pair = entry["caps"].setdefault(number, [0, 0])
                pair[0], pair[1] = pair[0] + num, pair[1] + den
    return entry


def figures_of(entry: dict) -> dict:
    """What the comparison shows of summed counts: mean working days, each capability's share, the total."""
    capabilities = capabilities_from_counts({int(k): tuple(v) for k, v in entry["caps"].items()})
    return {
        "accepted": entry["accepted"], "answered": entry["answered"], "late": entry["late"],
        "mean_work": round(entry["work_sum"] / entry["answered"], 2) if entry["answered"] else None,
        "shares": {c.number: c.share for c in capabilities}, "total": total_score(capabilities),
        "computed_at": entry["computed_at"],
    }


def tenant_periods_store(*, tenant, months: list[int]) -> None:
    """Rewrite the tenant's months, quarters and years that `months` fall in, from its TenantMonth
    rows (call inside the rollup's transaction, after those rows are written)."""
    keys = {key for month in months for key in _keys_of_month(month)}
    if not keys:
        return
    years = {month // 100 for month in months}
    rows = TenantMonth.objects.filter(tenant=tenant, month__gte=min(years) * 100 + 1, month__lte=max(years) * 100 + 12)
    grouped = defaultdict(list)
    for row in rows.order_by("month"):
        for key in _keys_of_month(row.month):
            if key in keys:
                grouped[key].append(row)
    TenantPeriod.objects.filter(tenant=tenant, period__in=keys).delete()
    province = tenant.province.code
    stored = []
    for key, members in grouped.items():
        figures = figures_of(months_sum(members))
        stored.append(TenantPeriod(
            tenant=tenant, period=key, kind=tenant.kind, province_code=province, name=tenant.name,
            band=band_of(figures["accepted"]), accepted=figures["accepted"], answered=figures["answered"],
            late=figures["late"], mean_work=figures["mean_work"], total=figures["total"],
            shares={str(number): share for number, share in figures["shares"].items()},
            computed_at=figures["computed_at"]))
    TenantPeriod.objects.bulk_create(stored)


_SCOPE_ADD = """
INSERT INTO insights_scopemonth (scope, month, accepted, answered, on_time, work_sum)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (scope, month) DO UPDATE SET
    accepted = insights_scopemonth.accepted + EXCLUDED.accepted,
    answered = insights_scopemonth.answered + EXCLUDED.answered,
    on_time = insights_scopemonth.on_time + EXCLUDED.on_time,
    work_sum = insights_scopemonth.work_sum + EXCLUDED.work_sum
"""
SUMMED = ("accepted", "answered", "on_time", "work_sum")


def scope_months_apply(*, tenant, old: list[dict], new: list[dict]) -> None:
    """Move the country's and the tenant's province's monthly sums by what the tenant's rollup
    changed (`old` rows, as dicts, replaced by `new` ones); rows in a fixed order, so that two tenants'
    rollups at once never deadlock."""
    delta: dict = defaultdict(lambda: [0, 0, 0, 0])
    for sign, rows in ((-1, old), (1, new)):
        for row in rows:
            for index, key in enumerate(SUMMED):
                delta[row["month"]][index] += sign * row[key]
    with connection.cursor() as cursor:
        for scope in sorted({SCOPE_ALL, tenant.province.code}):
            for month in sorted(delta):
                if any(delta[month]):
                    cursor.execute(_SCOPE_ADD, [scope, month, *delta[month]])


def scope_months_rebuild() -> None:
    """Every scope's sums again from TenantMonth (after a run of every tenant: a tenant that moved
    province or was removed leaves nothing behind)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM insights_scopemonth")
        sums = ", ".join(f"sum(m.{key})" for key in SUMMED)
        cursor.execute(f"""INSERT INTO insights_scopemonth (scope, month, {', '.join(SUMMED)})
            SELECT '', m.month, {sums} FROM insights_tenantmonth m GROUP BY m.month
            UNION ALL
            SELECT p.code, m.month, {sums} FROM insights_tenantmonth m
            JOIN tenants_tenant t ON t.id = m.tenant_id JOIN tenants_province p ON p.id = t.province_id
            GROUP BY p.code, m.month""")


# --- Reads: a page at a time ------------------------------------------------------------------


def ranked_page(*, scope: str, period: str, kind: str, band: int, minimum: int, page: int) -> tuple[list, bool]:
    """One page of a group (kind, size band) in rank order, each with its rank; and whether
    another page follows."""
    rows = TenantPeriod.objects.filter(period=period, kind=kind, band=band, accepted__gte=minimum)
    if scope:
        rows = rows.filter(province_code=scope)
    offset = (page - 1) * PAGE_SIZE
    found = list(rows.order_by(F("total").desc(nulls_last=True), "name")[offset:offset + PAGE_SIZE + 1])
    provinces = dict(Province.objects.values_list("code", "name"))  # 31 rows, no join with every tenant
    for place, row in enumerate(found, offset + 1):
        row.rank = place
        row.province_name = provinces.get(row.province_code, "")
        row.shares_by_number = {int(number): share for number, share in row.shares.items()}
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def few_page(*, tenants, period: str | None, minimum: int, page: int) -> tuple[list, bool]:
    """One page, in name order, of the visible tenants with fewer than `minimum` requests in the
    period (none stored counts as none), each with what it has (`accepted`, `computed_at`)."""
    if period is not None:
        own = TenantPeriod.objects.filter(tenant=OuterRef("pk"), period=period)
        tenants = tenants.exclude(Exists(own.filter(accepted__gte=minimum))).annotate(
            period_accepted=Subquery(own.values("accepted")[:1]), period_computed_at=Subquery(own.values("computed_at")[:1]))
    offset = (page - 1) * PAGE_SIZE
    found = list(tenants.select_related("province").order_by("name", "pk")[offset:offset + PAGE_SIZE + 1])
    for tenant in found:
        tenant.accepted = getattr(tenant, "period_accepted", None) or 0
        tenant.computed_at = getattr(tenant, "period_computed_at", None)
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def trends_of(*, scope: str, first: int, last: int) -> list[dict]:
    from insights.periods import month_key_label

    trends = []
    for row in ScopeMonth.objects.filter(scope=scope, month__gte=first, month__lte=last, accepted__gt=0).order_by("month"):
        trends.append({
            "month": row.month, "label": month_key_label(row.month), "accepted": row.accepted, "answered": row.answered,
            "on_time_share": round(100 * row.on_time / row.answered, 1) if row.answered else None,
            "mean_work": round(row.work_sum / row.answered, 2) if row.answered else None,
        })
    return trends
