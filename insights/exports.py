"""The report as rows, and those rows as XLSX, CSV and a Persian PDF."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from lib.pdf import pdf_render

HEADERS = [
    ("label", "عنوان"), ("accepted", "پذیرش‌شده"), ("answered", "پاسخ‌داده‌شده"), ("open", "باز"), ("late", "دیرکرد"),
    ("mean_days", "میانگین روز"), ("median_days", "میانه روز"), ("p90_days", "صدک ۹۰ روز"),
    ("mean_work", "میانگین روز کاری"), ("median_work", "میانه روز کاری"), ("p90_work", "صدک ۹۰ روز کاری"),
    ("citizen_work", "انتظار متقاضی (روز کاری)"), ("bodies_work", "انتظار استعلام (روز کاری)"), ("desk_work", "زمان میز خدمت (روز کاری)"),
]
SECTIONS = [("unit_kind", "ستاد و صف"), ("unit_id", "واحد"), ("service_id", "خدمت"), ("channel", "مجرا"), ("month", "ماه")]


def report_tables(report) -> list[tuple[str, list[dict]]]:
    """(section title, rows) in the order every format shows them."""
    tables = [("کل دوره", [{"label": report.period.label, **report.total}]),
              ("دوره پیشین", [{"label": report.period.previous().label, **report.previous}])]
    tables += [(title, report.by[key]) for key, title in SECTIONS]
    return tables


def report_xlsx(report, income: list[dict] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "گزارش"
    sheet.sheet_view.rightToLeft = True
    sheet.append([f"گزارش میز خدمت — {report.period.label}"])
    for title, rows in report_tables(report):
        sheet.append([])
        sheet.append([title])
        sheet.append([h for _, h in HEADERS])
        for row in rows:
            sheet.append([row.get(k) for k, _ in HEADERS])
    surveys = book.create_sheet("نظرسنجی")
    surveys.sheet_view.rightToLeft = True
    surveys.append(["محور", "میانگین", "شمار"])
    for axis in report.survey_axes:
        surveys.append([axis["axis"], axis["mean"], axis["count"]])
    surveys.append([])
    surveys.append(["خدمت", "شمار پاسخ", "میانگین کل"])
    for row in report.survey_services:
        surveys.append([row["label"], row["count"], row["mean"]])
    money = book.create_sheet("درآمد")
    money.sheet_view.rightToLeft = True
    money.append(["خدمت", "شمار پرداخت", "پرداخت‌شده (ریال)", "بازپرداخت‌شده (ریال)", "خالص (ریال)"])
    for row in income or []:
        money.append([row["service_title"], row["count"], row["paid"], row["refunded"], row["net"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_csv(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["بخش"] + [h for _, h in HEADERS])
    for title, rows in report_tables(report):
        for row in rows:
            writer.writerow([title] + [row.get(k) for k, _ in HEADERS])
    return "\ufeff" + buffer.getvalue()


def report_pdf(report, *, tenant, context: dict) -> bytes:
    return pdf_render("insights/report_pdf.html", {**context, "tenant": tenant, "now": timezone.now()})
