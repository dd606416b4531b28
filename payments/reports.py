"""The daily reconciliation report as an XLSX workbook for the municipality's finance unit:
one sheet per gateway, one per Sheba (the account each fee is paid into), one with every payment."""

from __future__ import annotations

import io

from openpyxl import Workbook

from lib.jalali import jalali_format
from payments.selectors import DAILY_COLUMNS, daily_reconciliation


def _sums_header(first: list[str]) -> list[str]:
    return [*first, *[f"{header} — {part}" for _key, header in DAILY_COLUMNS for part in ("تعداد", "مبلغ (ریال)")]]


def _sums(row: dict) -> list[int]:
    return [row[f"{key}_{part}"] for key, _header in DAILY_COLUMNS for part in ("count", "rial")]


def daily_reconciliation_xlsx(*, day) -> bytes:
    report = daily_reconciliation(day=day)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "به تفکیک درگاه"
    sheet.sheet_view.rightToLeft = True
    sheet.append([f"گزارش تطبیق روزانه پرداخت‌ها — {jalali_format(day)}"])
    sheet.append(_sums_header(["درگاه", "ارائه‌دهنده", "حالت"]))
    for row in report["gateways"]:
        sheet.append([row["title"], row["provider"], row["mode"], *_sums(row)])
    sheet = workbook.create_sheet("به تفکیک شبا")
    sheet.sheet_view.rightToLeft = True
    sheet.append(_sums_header(["شماره شبا", "بانک"]))
    for row in report["shebas"]:
        sheet.append([row["sheba"], row["bank"], *_sums(row)])
    sheet = workbook.create_sheet("همه پرداخت‌ها")
    sheet.sheet_view.rightToLeft = True
    sheet.append(["زمان", "خدمت", "بابت", "مبلغ (ریال)", "شماره شبا", "درگاه", "وضعیت", "شماره پیگیری", "زمان تایید",
                  "تصمیم بازپرداخت", "شماره پیگیری بازپرداخت"])
    for p in report["payments"]:
        sheet.append([jalali_format(p.created_at, "%Y/%m/%d %H:%M"), p.service_title, p.fee_title, p.amount_rial, p.sheba,
                      p.gateway.title, p.get_status_display(), p.reference, jalali_format(p.paid_at, "%Y/%m/%d %H:%M") if p.paid_at else "",
                      p.refund_reason, p.refund_reference])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
