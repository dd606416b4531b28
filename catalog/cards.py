"""A service card as one flat row: for the audit trail (before/after), and the XLSX workbook.

Lists are written one item a line, the parts of an item separated by " | ":
fees «بابت | مبلغ | شبا | بانک», laws «عنوان | پیوند», FAQ «پرسش | پاسخ»,
stages «نام مرحله | روز کاری | واحد», units «نام واحد».
"""

from __future__ import annotations

from catalog.models import Service

SEPARATOR = " | "

# (key, Persian column header). The order is the workbook's column order.
COLUMNS = [
    ("national_id", "شناسه خدمت"),
    ("parent_id", "شناسه خدمت مادر"),
    ("approved_title", "عنوان مصوب"),
    ("common_name", "نام رایج"),
    ("service_types", "نوع خدمت"),
    ("description", "شرح خدمت"),
    ("eligibility", "شرایط درخواست"),
    ("required_documents", "مدارک مورد نیاز"),
    ("average_days", "متوسط مدت (روز کاری)"),
    ("is_instant", "آنی"),
    ("service_hours", "ساعات ارائه خدمت"),
    ("visits_count", "تعداد مراجعه حضوری"),
    ("visits_place", "محل مراجعه حضوری"),
    ("visits_reason", "علت مراجعه حضوری"),
    ("service_level", "سطح ارائه خدمت"),
    ("online_request", "درخواست برخط"),
    ("web_url", "نشانی وب"),
    ("app_url", "برنامه همراه"),
    ("channel_email", "پست الکترونیک"),
    ("ivr_number", "مرکز تماس"),
    ("sms_code", "سرشماره پیامک"),
    ("counter_offices", "دفاتر پیشخوان و پست"),
    ("inquiries", "استعلام‌ها"),
    ("ends_in_permit", "صدور مجوز"),
    ("responsible_name", "نام مسئول خدمت"),
    ("responsible_position", "سمت مسئول خدمت"),
    ("responsible_phone", "تلفن مسئول خدمت"),
    ("complete_guide", "راهنمای کامل"),
    ("attachment_max_files", "بیشترین شمار پیوست"),
    ("attachment_max_kb", "بیشترین اندازه پیوست (کیلوبایت)"),
    ("attachment_types", "گونه‌های مجاز پیوست"),
    ("units", "واحدهای ارائه‌دهنده"),
    ("fees", "هزینه‌ها"),
    ("laws", "قوانین و مقررات"),
    ("faqs", "پرسش و پاسخ"),
    ("stages", "مراحل گردش کار"),
    ("bpmn_external", "فرآیند بیرونی BPMN"),
    ("bpmn_internal", "فرآیند درونی BPMN"),
    ("status", "وضعیت انتشار"),
]
BOOLEAN_KEYS = {"is_instant", "online_request", "ends_in_permit"}
INTEGER_KEYS = {"average_days", "visits_count", "attachment_max_files", "attachment_max_kb"}
PLAIN_KEYS = [key for key, _ in COLUMNS if key not in {"parent_id", "service_types", "units", "fees", "laws", "faqs", "stages"}]


def _lines(*parts_per_item) -> str:
    return "\n".join(SEPARATOR.join(str(part) for part in parts) for parts in parts_per_item)


def card_to_row(service: Service) -> dict:
    """Every field of the card as strings, numbers and booleans (JSON-safe)."""
    row = {key: getattr(service, key) for key in PLAIN_KEYS}
    row["parent_id"] = service.parent.national_id if service.parent_id else ""
    row["service_types"] = ";".join(service.service_types)
    row["units"] = "\n".join(unit.name for unit in service.units.all())
    row["fees"] = _lines(*[(f.title, f.amount_rial, f.sheba, f.bank) for f in service.fees.all()])
    row["laws"] = _lines(*[(law.title, law.url) for law in service.laws.all()])
    row["faqs"] = _lines(*[(faq.question, faq.answer.replace("\n", " ")) for faq in service.faqs.all()])
    row["stages"] = _lines(*[(s.name, s.target_days, s.unit.name if s.unit_id else "") for s in service.stages.all()])
    if row["average_days"] is None:
        row["average_days"] = ""
    return row


def split_items(text: str, parts: int) -> list[list[str]]:
    """The items of a list cell, each cut into `parts` parts (missing parts are empty)."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        pieces = [piece.strip() for piece in line.split("|")]
        items.append((pieces + [""] * parts)[:parts] if len(pieces) <= parts else pieces[: parts - 1] + [" | ".join(pieces[parts - 1:])])
    return items
