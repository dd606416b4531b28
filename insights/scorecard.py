"""The ten capabilities of seed 001, each a share (0–100) computed from the tenant's own data,
with its formula in Persian. Requests are those accepted in the period (and within the units
given); service figures are the catalogue as it stands. Call inside the tenant's schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from catalog.models import Service
from catalog.publishing import card_checklist
from insights.reports import TZ, local_midnight
from insights.sql_names import TABLES
from registry.models import NationalService

CAPABILITIES = [
    (1, "پنجره واحد الکترونیکی", "تعداد خدمات منتشرشده‌ای که درخواست برخط در همین درگاه دارند ÷ تعداد خدمات منتشرشده × ۱۰۰"),
    (2, "پذیرش الکترونیکی درخواست و بارگذاری مدارک", "تعداد درخواست‌هایی که متقاضی خود برخط ثبت کرده ÷ تعداد درخواست‌های پذیرش‌شده در دوره × ۱۰۰"),
    (3, "رسید الکترونیکی با زمان صدور پاسخ", "تعداد درخواست‌های دارای رسید با تاریخ وعده پاسخ ÷ تعداد درخواست‌های پذیرش‌شده × ۱۰۰"),
    (4, "کد رهگیری یکتا در لحظه پذیرش", "تعداد درخواست‌های دارای کد رهگیری ÷ تعداد درخواست‌های پذیرش‌شده × ۱۰۰"),
    (5, "رهگیری مراحل گردش کار", "تعداد درخواست‌هایی که دست‌کم یک مرحله قابل مشاهده برای متقاضی دارند ÷ تعداد درخواست‌های پذیرش‌شده × ۱۰۰"),
    (6, "ارائه الکترونیکی پاسخ", "تعداد درخواست‌های پاسخ‌داده‌شده با نامه پاسخ الکترونیکی ÷ تعداد درخواست‌های پاسخ‌داده‌شده × ۱۰۰"),
    (7, "تعامل الکترونیکی با متقاضی", "تعداد درخواست‌هایی که میز خدمت از متقاضی چیزی خواسته و متقاضی برخط پاسخ داده ÷ تعداد درخواست‌هایی که از متقاضی چیزی خواسته شده × ۱۰۰"),
    (8, "بسته الکترونیکی اطلاع‌رسانی", "تعداد خدمات منتشرشده با شناسنامه کامل ÷ تعداد خدمات منتشرشده × ۱۰۰"),
    (9, "نظرسنجی الکترونیکی", "تعداد نظرسنجی‌های پاسخ‌داده‌شده ÷ تعداد درخواست‌های پاسخ‌داده‌شده × ۱۰۰ (میانگین امتیاز کنار آن)"),
    (10, "گزارش‌های مدیریتی: پاسخ در موعد", "تعداد درخواست‌های پاسخ‌داده‌شده تا تاریخ وعده ÷ تعداد درخواست‌های پاسخ‌داده‌شده × ۱۰۰"),
]

# The request counts behind capabilities 2–7, 9 and 10, over `r`: accepted requests, each with
# `ad`, the Tehran date of its answer (NULL while open). The scorecard counts one period with
# them and the rollup each month, so the two cannot count differently.
REQUEST_COUNTS_SQL = """
       COUNT(*),
       COUNT(*) FILTER (WHERE r.ad IS NOT NULL),
       COUNT(*) FILTER (WHERE r.ad <= r.promised_date),
       COUNT(*) FILTER (WHERE r.channel = 'online'),
       COUNT(*) FILTER (WHERE r.promised_date IS NOT NULL),
       COUNT(*) FILTER (WHERE r.tracking_code <> ''),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM {events} e WHERE e.request_id = r.id AND e.visible_to_citizen)),
       COUNT(*) FILTER (WHERE r.ad IS NOT NULL AND EXISTS (SELECT 1 FROM {letters} l WHERE l.request_id = r.id)),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM {messages} m WHERE m.request_id = r.id AND m.sender = 'staff')),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM {messages} m WHERE m.request_id = r.id AND m.sender = 'staff')
                          AND EXISTS (SELECT 1 FROM {messages} m WHERE m.request_id = r.id AND m.sender = 'citizen')),
       COUNT(*) FILTER (WHERE r.ad IS NOT NULL AND EXISTS (SELECT 1 FROM {surveys} s WHERE s.request_id = r.id AND s.answered_at IS NOT NULL))
""".format(**TABLES)


class RequestCounts(NamedTuple):
    """REQUEST_COUNTS_SQL's columns, in their order."""

    accepted: int
    answered: int
    on_time: int
    online: int
    promised: int
    coded: int
    tracked: int
    lettered: int
    asked: int
    replied: int
    surveyed: int


class ServiceCounts(NamedTuple):
    published: int
    online: int  # published with an online request
    complete: int  # published with a complete card


PERIOD_SQL = """
WITH r AS (
    SELECT r.*, (r.answered_at AT TIME ZONE %(tz)s)::date AS ad
    FROM {requests} r
    WHERE r.submitted_at >= %(start)s AND r.submitted_at < %(end)s {unit_filter}
)
SELECT {request_counts} FROM r
"""


@dataclass
class Capability:
    number: int
    title: str
    formula: str
    numerator: int
    denominator: int

    @property
    def share(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


def service_counts() -> ServiceCounts:
    published = list(Service.objects.filter(status=Service.Status.PUBLISHED).prefetch_related("units", "stages"))
    national = NationalService.objects.in_bulk([s.national_id for s in published])
    online = sum(1 for s in published if s.online_request)
    complete = sum(1 for s in published if all(item.ok for item in card_checklist(s, national=national.get(s.national_id))))
    return ServiceCounts(len(published), online, complete)


def capability_counts_of(requests: RequestCounts, services: ServiceCounts) -> dict[int, tuple[int, int]]:
    """{capability: (numerator, denominator)}: the one reading of the counts, for the scorecard's
    period and the rollup's months alike."""
    r, s = requests, services
    return {1: (s.online, s.published), 2: (r.online, r.accepted), 3: (r.promised, r.accepted), 4: (r.coded, r.accepted),
            5: (r.tracked, r.accepted), 6: (r.lettered, r.answered), 7: (r.replied, r.asked), 8: (s.complete, s.published),
            9: (r.surveyed, r.answered), 10: (r.on_time, r.answered)}


def capability_counts(*, period, units=None) -> dict[int, tuple[int, int]]:
    """{capability: (numerator, denominator)} of the requests accepted in `period`."""
    params = {"tz": TZ, "start": local_midnight(period.start), "end": local_midnight(period.end)}
    unit_filter = ""
    if units is not None:
        params["units"], unit_filter = list(units), "AND r.unit_id = ANY(%(units)s)"
    with connection.cursor() as cursor:
        cursor.execute(PERIOD_SQL.format(unit_filter=unit_filter, request_counts=REQUEST_COUNTS_SQL, **TABLES), params)
        requests = RequestCounts(*cursor.fetchone())
    return capability_counts_of(requests, service_counts())


def capabilities_from_counts(counts: dict) -> list[Capability]:
    return [Capability(number, title, formula, *counts.get(number, counts.get(str(number), (0, 0))))
            for number, title, formula in CAPABILITIES]


def total_score(capabilities: list[Capability]) -> float | None:
    """The mean of the shares that have data (each capability weighs the same)."""
    shares = [c.share for c in capabilities if c.share is not None]
    return round(sum(shares) / len(shares), 1) if shares else None


def scorecard_compute(*, period, units=None) -> dict:
    capabilities = capabilities_from_counts(capability_counts(period=period, units=units))
    return {"capabilities": capabilities, "total": total_score(capabilities)}
