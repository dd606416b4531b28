"""The whole catalogue as one XLSX workbook, one row per service, and back.

An import is checked row by row first; any invalid row means nothing is applied, and every
problem is reported with its row and column.
"""

from __future__ import annotations

import io

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from catalog.cards import BOOLEAN_KEYS, COLUMNS, card_to_row
from catalog.fee_changes import fees_import
from catalog.models import CardAudit, Faq, Fee, Law, Service
from catalog.publishing import missing_items
from catalog.selectors import national_service_get
from catalog.services import card_audit, catalogue_changed, stages_replace
from catalog.error_codes import DUPLICATE_ID, MISSING_COLUMN, NOT_PUBLISHABLE, UNREADABLE_WORKBOOK
from catalog.xlsx_rows import NO, YES, CardRow, ImportRejected, RowError, card_row_check, national_id_of

__all__ = ["ImportRejected", "RowError", "catalog_export", "catalog_import"]

# Choice columns are written with their Persian labels; an import reads a label or the code.
CHOICE_KEYS = {"service_level": Service.Level, "status": Service.Status}
TYPES_SEPARATOR = "؛ "
HEADERS = [label for _key, label in COLUMNS]
KEY_BY_HEADER = {label: key for key, label in COLUMNS}


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


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:
        raise ImportRejected([RowError(0, "", "پرونده یک کارپوشه XLSX خوانا نیست.", UNREADABLE_WORKBOOK)]) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    missing = [label for label in HEADERS if label not in header]
    if missing:
        raise ImportRejected([RowError(1, label, "این ستون در سطر عنوان‌ها نیست.", MISSING_COLUMN) for label in missing])
    parsed = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {KEY_BY_HEADER[h]: ("" if v is None else v) for h, v in zip(header, values) if h in KEY_BY_HEADER}
        parsed.append((number, row))
    return parsed


def catalog_import(*, data: bytes, actor: str) -> int:
    """Apply a workbook to the catalogue (create or update by service ID); all or nothing."""
    rows = _read_rows(data)
    ids_in_file = frozenset(national_id_of(row) for _number, row in rows)
    errors: list[RowError] = []
    seen: set[str] = set()
    cards: list[CardRow] = []
    for number, row in rows:
        card, problems = card_row_check(number=number, row=row, ids_in_file=ids_in_file)
        if card.national_id in seen:
            errors.append(RowError(number, "شناسه خدمت", "این شناسه در کارپوشه تکرار شده است.", DUPLICATE_ID))
        seen.add(card.national_id)
        errors += problems
        cards.append(card)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        for card in sorted(cards, key=lambda c: (bool(c.parent_id), c.national_id)):
            _apply(card, actor)
        # A row may say "published" only for a card that meets the publishing rules.
        for card in cards:
            if card.status == Service.Status.PUBLISHED:
                service = Service.objects.get(national_id=card.national_id)
                for item in missing_items(service, national=national_service_get(service.national_id)):
                    errors.append(RowError(card.number, "وضعیت انتشار", f"برای انتشار کامل نیست: {item}", NOT_PUBLISHABLE))
        if errors:
            raise ImportRejected(errors)  # inside the transaction: nothing is kept
    return len(cards)


def _apply(card: CardRow, actor: str) -> None:
    """Save a checked row through its forms, as the editor saves a card and its lists."""
    existing = Service.objects.filter(national_id=card.national_id).first()
    before = card_to_row(existing) if existing else None
    service = card.form.save(commit=False)
    service.parent = Service.objects.get(national_id=card.parent_id) if card.parent_id else None
    service.save()
    card.form.save_m2m()
    for key, model in (("fees", Fee), ("laws", Law), ("faqs", Faq)):
        if key == "fees" and existing:  # a card's fees change only with a second admin's approval
            fees_import(service=service, rows=[form.cleaned_data for form in card.items["fees"]], actor=actor)
            continue
        getattr(service, key).all().delete()
        items = [form.save(commit=False) for form in card.items[key]]
        for item in items:
            item.service = service
        model.objects.bulk_create(items)
        catalogue_changed()
    stages = [form.cleaned_data for form in card.items["stages"]]
    stages_replace(service=service, stages=[(s["name"], s["target_days"], s["unit"]) for s in stages], actor=actor)
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.IMPORTED, before=before, after=card_to_row(service))
