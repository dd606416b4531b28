"""The cross-tenant view over the rollup: who may see which tenants, rankings that compare like
with like, and monthly trends. Reads only the public schema."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts.models import User
from insights.models import TenantMonth
from insights.periods import month_key, month_key_label
from insights.ranking import SCOPE_ALL, few_page, figures_of, months_sum, period_key, ranked_page, trends_of
from insights.scorecard import CAPABILITIES
from tenants.models import Province, Tenant
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
    and size band, ranked; those with too few requests kept apart. Every visible tenant at once:
    the XLSX export and the API (the page reads `overview` instead)."""
    tenants = {t.pk: t for t in tenants_visible(user)}
    first, last = month_key(period.start), month_key(period.end - timedelta(days=1))
    rows = TenantMonth.objects.filter(tenant_id__in=list(tenants), month__gte=first, month__lte=last).order_by("month")
    per_tenant: dict = defaultdict(list)
    trends: dict = {}
    for row in rows:
        per_tenant[row.tenant_id].append(row)
        trend = trends.setdefault(row.month, {"month": row.month, "label": month_key_label(row.month), "accepted": 0, "answered": 0, "on_time": 0, "work_sum": 0})
        for key in ("accepted", "answered", "on_time", "work_sum"):
            trend[key] += getattr(row, key)
    entries = []
    for pk, tenant in tenants.items():
        entries.append({"tenant": tenant, "slug": tenant.slug, "name": tenant.name, "kind": tenant.kind,
                        "province": tenant.province.name, **figures_of(months_sum(per_tenant.get(pk, [])))})
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


def _scope(user) -> str:
    """The ranking's scope: the whole country for the vendor, the province for its supervisor."""
    tenants_visible(user)  # refuses everyone else
    return SCOPE_ALL if user.role == User.Role.VENDOR else user.province_code


def _group_order() -> list[tuple[str, int, str]]:
    """(kind, band, band's label) in the order the groups are shown (as `comparison` sorts them)."""
    return sorted(((kind, index, label) for kind in Tenant.Kind.values for index, (_floor, label) in enumerate(SIZE_BANDS)),
                  key=lambda g: (g[0], g[2]))


def overview(*, user, period, group: str = "", page: int = 1) -> dict:
    """What /insights/ shows: the first page of every group (kind, size band) in rank order, and
    of the tenants with too few requests; or, with `group` ("municipality-0", …, "few"), that
    group's page `page`. Each group is read through an index a page at a time; the trends from
    the months' sums of the scope. A chosen range is not kept ranked (`ranked` False)."""
    scope, key, minimum = _scope(user), period_key(period), min_requests()
    if group not in {f"{kind}-{band}" for kind, band, _label in _group_order()} | {"few"}:
        group, page = "", 1
    groups = []
    for kind, band, label in _group_order():
        name = f"{kind}-{band}"
        if key is None or group not in ("", name):
            continue
        members, more = ranked_page(scope=scope, period=key, kind=kind, band=band, minimum=minimum,
                                    page=page if group == name else 1)
        if members:
            groups.append({"id": name, "kind": kind, "band": label, "members": members, "more": more,
                           "page": page if group == name else 1})
    few = None
    if group in ("", "few") and key is not None:  # a chosen range: every tenant would be "too few"
        tenants = tenants_visible(user)
        if scope:  # by the province's id, which the planner has statistics for: its tenants in name order by index
            tenants = tenants_all().filter(province_id=Province.objects.filter(code=scope).values_list("pk", flat=True).first())
        members, more = few_page(tenants=tenants, period=key, minimum=minimum, page=page if group == "few" else 1)
        few = {"members": members, "more": more, "page": page if group == "few" else 1}
    first, last = month_key(period.start), month_key(period.end - timedelta(days=1))
    return {"groups": groups, "few": few, "group": group, "ranked": key is not None,
            "trends": trends_of(scope=scope, first=first, last=last),
            "capabilities": CAPABILITIES, "min_requests": minimum, "period": period}


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
