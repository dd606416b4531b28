"""The whole catalogue as one XLSX workbook, one row per service, and back.

An import is checked row by row first; any invalid row means nothing is applied, and every
problem is reported with its row and column.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from catalog.bpmn import bpmn_clean
from catalog.cards import BOOLEAN_KEYS, COLUMNS, INTEGER_KEYS, PLAIN_KEYS, card_to_row, split_items
from catalog.models import NATIONAL_ID_VALIDATOR, Faq, Fee, Law, Service, Unit
from catalog.publishing import missing_items
from catalog.selectors import national_service_get
from catalog.services import card_audit, stages_replace
from lib.identifiers import is_valid_sheba
from lib.persian import normalize_text, to_ascii_digits

YES, NO = "بله", "خیر"
# Choice columns are written with their Persian labels; an import reads a label or the code.
CHOICE_KEYS = {"service_level": Service.Level, "status": Service.Status}
TYPES_SEPARATOR = "؛ "
HEADERS = [label for _key, label in COLUMNS]
KEY_BY_HEADER = {label: key for key, label in COLUMNS}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def catalog_export() -> bytes:
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = "شناسنامه خدمات"
    sheet.sheet_view.rightToLeft = True
    sheet.append(HEADERS)
    services = Service.objects.select_related("parent").prefetch_related("units", "fees", "laws", "faqs", "stages__unit")
    for service in services.order_by("national_id"):
        row = card_to_row(service)
        sheet.append([_cell(key, row[key]) for key, _label in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(key, value):
    if key in BOOLEAN_KEYS:
        return YES if value else NO
    if key in CHOICE_KEYS:
        return str(dict(CHOICE_KEYS[key].choices).get(value, value)) if value else ""
    if key == "service_types":
        return TYPES_SEPARATOR.join(str(Service.TYPES.get(code, code)) for code in value.split(";") if code)
    return value


def _choice_code(choices: dict, text: str) -> str:
    """The code of a choice written as its label (or as the code itself)."""
    by_label = {normalize_text(str(label)): code for code, label in choices.items()}
    return by_label.get(normalize_text(text), text.strip())


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:
        raise ImportRejected([RowError(0, "", "پرونده یک کارپوشه XLSX خوانا نیست.")]) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    missing = [label for label in HEADERS if label not in header]
    if missing:
        raise ImportRejected([RowError(1, label, "این ستون در سطر عنوان‌ها نیست.") for label in missing])
    parsed = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {KEY_BY_HEADER[h]: ("" if v is None else v) for h, v in zip(header, values) if h in KEY_BY_HEADER}
        parsed.append((number, row))
    return parsed


def _check_row(number: int, row: dict, ids_in_file: set[str], errors: list[RowError]) -> dict:
    """A row turned into clean values; problems are appended to `errors`."""
    def error(key, message):
        errors.append(RowError(number, dict(COLUMNS)[key], message))

    clean = {key: normalize_text(str(row.get(key, ""))) if key not in ("bpmn_external", "bpmn_internal") else str(row.get(key, "")) for key in PLAIN_KEYS}
    for key in ("required_documents", "counter_offices", "inquiries", "complete_guide", "description", "eligibility"):
        clean[key] = "\n".join(normalize_text(line) for line in str(row.get(key, "")).splitlines())
    clean["_row"] = number
    clean["national_id"] = to_ascii_digits(str(row.get("national_id", "")).strip())
    try:
        NATIONAL_ID_VALIDATOR(clean["national_id"])
    except ValidationError:
        error("national_id", "شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد.")
    clean["parent_id"] = to_ascii_digits(str(row.get("parent_id", "")).strip())
    if clean["parent_id"] and clean["parent_id"] not in ids_in_file and not Service.objects.filter(national_id=clean["parent_id"]).exists():
        error("parent_id", "خدمت مادر نه در این کارپوشه است و نه در فهرست خدمات.")
    if not clean["approved_title"]:
        error("approved_title", "عنوان مصوب خالی است.")
    written = str(row.get("service_types", "")).replace("،", ";").replace("؛", ";").split(";")
    types = [_choice_code(Service.TYPES, t).upper() for t in written if t.strip()]
    if any(t not in Service.TYPES for t in types):
        error("service_types", "نوع خدمت فقط «به شهروندان»، «به کسب و کار» یا «به دستگاه‌های دولتی» (یا G2C، G2B، G2G) است، جدا با «؛».")
    clean["service_types"] = types
    for key in BOOLEAN_KEYS:
        value = str(row.get(key, "")).strip()
        if value not in (YES, NO, "True", "False", "1", "0", ""):
            error(key, "مقدار باید «بله» یا «خیر» باشد.")
        clean[key] = value in (YES, "True", "1")
    for key in INTEGER_KEYS:
        value = to_ascii_digits(str(row.get(key, "")).strip())
        if value == "" and key == "average_days":
            clean[key] = None
        elif not value.isdigit():
            error(key, "باید عدد صحیح نامنفی باشد.")
        else:
            clean[key] = int(value)
    clean["service_level"] = _choice_code(dict(Service.Level.choices), clean["service_level"]) if clean["service_level"] else ""
    clean["status"] = _choice_code(dict(Service.Status.choices), clean["status"])
    if clean["service_level"] and clean["service_level"] not in Service.Level.values:
        error("service_level", "سطح ارائه خدمت شناخته نشد: یکی از «ستاد»، «منطقه»، «استان»، «شهرستان»، «بخش» یا «روستا».")
    if clean["status"] not in Service.Status.values:
        error("status", "وضعیت باید «پیش‌نویس»، «منتشرشده» یا «خارج از انتشار» باشد.")
    for key in ("web_url", "app_url"):
        if clean[key]:
            try:
                URLValidator()(clean[key])
            except ValidationError:
                error(key, "نشانی اینترنتی درست نیست.")
    if clean["channel_email"]:
        try:
            validate_email(clean["channel_email"])
        except ValidationError:
            error("channel_email", "پست الکترونیک درست نیست.")
    for key in ("bpmn_external", "bpmn_internal"):
        if clean[key].strip():
            try:
                bpmn_clean(clean[key])
            except ValidationError as problem:
                error(key, problem.messages[0])
    clean["units"] = [normalize_text(u) for u in str(row.get("units", "")).splitlines() if u.strip()]
    clean["fees"] = []
    for title, amount, sheba, bank in split_items(str(row.get("fees", "")), 4):
        amount = to_ascii_digits(amount).replace(",", "")
        if not amount.isdigit():
            error("fees", f"مبلغ «{amount}» عدد نیست.")
        elif not is_valid_sheba(sheba):
            error("fees", f"شماره شبای «{sheba}» درست نیست.")
        else:
            clean["fees"].append((normalize_text(title), int(amount), to_ascii_digits(sheba).replace(" ", "").upper(), normalize_text(bank)))
    clean["laws"] = [(normalize_text(t), u) for t, u in split_items(str(row.get("laws", "")), 2)]
    clean["faqs"] = [(normalize_text(q), normalize_text(a)) for q, a in split_items(str(row.get("faqs", "")), 2)]
    clean["stages"] = []
    for name, days, unit in split_items(str(row.get("stages", "")), 3):
        days = to_ascii_digits(days)
        if not days.isdigit():
            error("stages", f"مدت مرحله «{name}» عدد نیست.")
        else:
            clean["stages"].append((normalize_text(name), int(days), normalize_text(unit)))
    return clean


def catalog_import(*, data: bytes, actor: str) -> int:
    """Apply a workbook to the catalogue (create or update by service ID); all or nothing."""
    rows = _read_rows(data)
    ids = [to_ascii_digits(str(row.get("national_id", "")).strip()) for _n, row in rows]
    errors: list[RowError] = []
    seen: set[str] = set()
    cleaned = []
    for (number, row), national_id in zip(rows, ids):
        if national_id in seen:
            errors.append(RowError(number, "شناسه خدمت", "این شناسه در کارپوشه تکرار شده است."))
        seen.add(national_id)
        cleaned.append(_check_row(number, row, set(ids), errors))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for clean in sorted(cleaned, key=lambda c: (bool(c["parent_id"]), c["national_id"])):
            _apply(clean, actor)
        # A row may say "published" only for a card that meets the publishing rules.
        for clean in cleaned:
            if clean["status"] == Service.Status.PUBLISHED:
                service = Service.objects.get(national_id=clean["national_id"])
                for item in missing_items(service, national=national_service_get(service.national_id)):
                    errors.append(RowError(clean["_row"], "وضعیت انتشار", f"برای انتشار کامل نیست: {item}"))
        if errors:
            raise ImportRejected(errors)  # inside the transaction: nothing is kept
    return len(cleaned)


def _unit(name: str) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    return unit or Unit.objects.create(name=name)


def _apply(clean: dict, actor: str) -> None:
    service = Service.objects.filter(national_id=clean["national_id"]).first()
    before = card_to_row(service) if service else None
    service = service or Service(national_id=clean["national_id"])
    for key in PLAIN_KEYS:
        if key != "national_id":
            setattr(service, key, clean[key])
    service.service_types = clean["service_types"]
    service.parent = Service.objects.get(national_id=clean["parent_id"]) if clean["parent_id"] else None
    service.save()
    service.units.set([_unit(name) for name in clean["units"]])
    service.fees.all().delete()
    Fee.objects.bulk_create(Fee(service=service, title=t, amount_rial=a, sheba=s, bank=b, order=i) for i, (t, a, s, b) in enumerate(clean["fees"]))
    service.laws.all().delete()
    Law.objects.bulk_create(Law(service=service, title=t, url=u, order=i) for i, (t, u) in enumerate(clean["laws"]))
    service.faqs.all().delete()
    Faq.objects.bulk_create(Faq(service=service, question=q, answer=a, order=i) for i, (q, a) in enumerate(clean["faqs"]))
    stages_replace(service=service, stages=[(n, d, _unit(u) if u else None) for n, d, u in clean["stages"]], actor=actor)
    card_audit(service=service, national_id=service.national_id, actor=actor, action="imported", before=before, after=card_to_row(service))
