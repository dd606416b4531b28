"""The cross-tenant view over the rollup: who may see which tenants, rankings that compare like
with like, and monthly trends. Reads only the public schema."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts.models import User
from insights.models import TenantMonth
from insights.periods import month_key, month_key_label
from insights.scorecard import CAPABILITIES, capabilities_from_counts, total_score
from tenants.selectors import tenants_all

SIZE_BANDS = [(0, "کوچک (کمتر از ۵۰۰ درخواست)"), (500, "میانه (۵۰۰ تا ۵٬۰۰۰)"), (5000, "بزرگ (بیش از ۵٬۰۰۰)")]


def min_requests() -> int:
    return getattr(settings, "INSIGHTS_MIN_REQUESTS", 30)


def tenants_visible(user):
    """Every tenant for the vendor; the province's tenants for its supervisor; nobody else."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    tenants = tenants_all().select_related("province")
    if user.role == User.Role.VENDOR:
        return tenants
    if user.role == User.Role.SUPERVISOR and user.province_code:
        return tenants.filter(province__code=user.province_code)
    raise PermissionDenied


def _score(entry: dict, number):
    return entry["total"] if number == "total" else entry["shares"][number]


def _band(accepted: int) -> str:
    return [label for floor, label in SIZE_BANDS if accepted >= floor][-1]


def comparison(*, user, period) -> dict:
    """Per tenant: summed counts and capability shares for the period's months; groups by kind
    and size band, ranked; those with too few requests kept apart."""
    tenants = {t.pk: t for t in tenants_visible(user)}
    first, last = month_key(period.start), month_key(period.end - timedelta(days=1))
    rows = TenantMonth.objects.filter(tenant_id__in=list(tenants), month__gte=first, month__lte=last)
    per_tenant: dict = {}
    trends: dict = {}
    for row in rows:
        entry = per_tenant.setdefault(row.tenant_id, {"accepted": 0, "answered": 0, "late": 0, "on_time": 0, "work_sum": 0, "caps": {}})
        entry["computed_at"] = max(filter(None, (entry.get("computed_at"), row.computed_at)))
        for key in ("accepted", "answered", "late", "on_time", "work_sum"):
            entry[key] += getattr(row, key)
        for number, (num, den) in row.capabilities.items():
            if number in ("1", "8"):  # catalogue snapshots: the latest month's stands
                entry["caps"][number] = [num, den]
            else:
                pair = entry["caps"].setdefault(number, [0, 0])
                pair[0], pair[1] = pair[0] + num, pair[1] + den
        trend = trends.setdefault(row.month, {"month": row.month, "label": month_key_label(row.month), "accepted": 0, "answered": 0, "on_time": 0, "work_sum": 0})
        for key in ("accepted", "answered", "on_time", "work_sum"):
            trend[key] += getattr(row, key)
    entries = []
    for pk, tenant in tenants.items():
        data = per_tenant.get(pk, {"accepted": 0, "answered": 0, "late": 0, "on_time": 0, "work_sum": 0, "caps": {}})
        capabilities = capabilities_from_counts({int(k): tuple(v) for k, v in data["caps"].items()})
        entries.append({
            "tenant": tenant, "slug": tenant.slug, "name": tenant.name, "kind": tenant.kind, "province": tenant.province.name,
            "accepted": data["accepted"], "answered": data["answered"], "late": data["late"],
            "mean_work": round(data["work_sum"] / data["answered"], 2) if data["answered"] else None,
            "shares": {c.number: c.share for c in capabilities}, "total": total_score(capabilities),
            "computed_at": data.get("computed_at"),
        })
    ranked, too_few = {}, []
    for entry in entries:
        if entry["accepted"] < min_requests():
            too_few.append(entry)
            continue
        ranked.setdefault((entry["kind"], _band(entry["accepted"])), []).append(entry)
    groups = []
    for (kind, band), members in sorted(ranked.items()):
        for number in [c[0] for c in CAPABILITIES] + ["total"]:
            ordered = sorted(members, key=lambda e, n=number: (_score(e, n) is None, -(_score(e, n) or 0), e["name"]))
            for place, entry in enumerate(ordered, 1):
                entry.setdefault("ranks", {})[number] = place
        members.sort(key=lambda e: e["ranks"]["total"])
        groups.append({"kind": kind, "band": band, "members": members})
    for trend in trends.values():
        trend["on_time_share"] = round(100 * trend["on_time"] / trend["answered"], 1) if trend["answered"] else None
        trend["mean_work"] = round(trend["work_sum"] / trend["answered"], 2) if trend["answered"] else None
    return {"groups": groups, "too_few": sorted(too_few, key=lambda e: e["name"]), "trends": [trends[k] for k in sorted(trends)],
            "capabilities": CAPABILITIES, "min_requests": min_requests(), "period": period}


def comparison_xlsx(data: dict) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "رتبه‌بندی"
    sheet.sheet_view.rightToLeft = True
    header = ["گروه", "دستگاه", "استان", "پذیرش‌شده", "پاسخ‌داده‌شده", "رتبه کل", "امتیاز کل"] + [f"قابلیت {n}" for n, _, _ in CAPABILITIES]
    sheet.append(header)
    for group in data["groups"]:
        for e in group["members"]:
            sheet.append([f"{group['kind']} / {group['band']}", e["name"], e["province"], e["accepted"], e["answered"], e["ranks"]["total"], e["total"]]
                         + [e["shares"][n] for n, _, _ in CAPABILITIES])
    for e in data["too_few"]:
        sheet.append(["کم‌درخواست (بی‌رتبه)", e["name"], e["province"], e["accepted"], e["answered"], None, e["total"]] + [e["shares"][n] for n, _, _ in CAPABILITIES])
    trends = book.create_sheet("روند ماهانه")
    trends.sheet_view.rightToLeft = True
    trends.append(["ماه", "پذیرش‌شده", "پاسخ‌داده‌شده", "پاسخ در موعد ٪", "میانگین روز کاری"])
    for t in data["trends"]:
        trends.append([t["label"], t["accepted"], t["answered"], t["on_time_share"], t["mean_work"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
