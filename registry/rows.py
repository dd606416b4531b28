"""One row of a registry export: checked and normalised, or refused with an error code.

The codes are named constants; `REASON_LABELS` is what the console shows for each.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.persian import normalize_text, to_ascii_digits

COLUMNS = ("service_id", "parent_id", "title", "agency_code", "agency_name", "service_type", "status", "updated_at")
SERVICE_TYPES = frozenset({"G2C", "G2B", "G2G"})
STATUSES = frozenset({"approved", "retired"})
_SERVICE_ID = re.compile(r"^[0-9]{10,11}$")

BAD_ID = "bad_id"
DUPLICATE_ID = "duplicate_id"
BAD_PARENT = "bad_parent"
PARENT_PREFIX = "parent_prefix"
PARENT_NOT_FOUND = "parent_not_found"
EMPTY_TITLE = "empty_title"
BAD_TYPE = "bad_type"
BAD_STATUS = "bad_status"
BAD_UPDATED_AT = "bad_updated_at"
EMPTY_AGENCY = "empty_agency"

REASON_LABELS = {
    BAD_ID: _("شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد."),
    DUPLICATE_ID: _("این شناسه پیش‌تر در همین خروجی آمده است."),
    BAD_PARENT: _("شناسه خدمت مادر ۱۰ یا ۱۱ رقم نیست یا با خود خدمت یکی است."),
    PARENT_PREFIX: _("شناسه زیرخدمت با پیشوند شناسه خدمت مادر آغاز نمی‌شود."),
    PARENT_NOT_FOUND: _("خدمت مادر نه در این خروجی هست و نه در آینه."),
    EMPTY_TITLE: _("عنوان خدمت خالی است."),
    BAD_TYPE: _("نوع خدمت باید G2C، G2B یا G2G باشد."),
    BAD_STATUS: _("وضعیت باید approved یا retired باشد."),
    BAD_UPDATED_AT: _("زمان تغییر در قالب ISO 8601 نیست."),
    EMPTY_AGENCY: _("کد یا نام دستگاه خالی است."),
}


class RowError(ValueError):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:300]


@dataclass(slots=True)
class ServiceRow:
    """A valid row, normalised; `content_hash` is compared with the mirror's."""

    line: int
    service_id: str
    parent_id: str | None
    title: str
    agency_code: str
    agency_name: str
    service_types: list[str]
    status: str
    updated_at: datetime
    content_hash: str


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # a number cell in a spreadsheet
        value = int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _identifier(value: str) -> str:
    value = value.strip()
    return value if value.isascii() else to_ascii_digits(value)


# Agency codes and names repeat on every row of a body: normalise each once.
_normalize_repeated = lru_cache(maxsize=8192)(normalize_text)


def parent_prefix(parent_id: str) -> str:
    """A sub-service's ID starts with its parent's ID without the parent's trailing zeros
    (10031771000 → 10031771100, 10031771101)."""
    return parent_id.rstrip("0") or parent_id


@lru_cache(maxsize=4096)  # an export repeats a few timestamps many times
def _updated_at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise RowError(BAD_UPDATED_AT, value) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@lru_cache(maxsize=256)
def _service_types(value: str) -> list[str] | None:
    types = sorted({t.strip().upper() for t in value.split(";") if t.strip()})
    return types if types and SERVICE_TYPES.issuperset(types) else None


def row_parse(raw: dict, *, line: int) -> ServiceRow:
    """Check one row's own fields (not yet whether its parent exists); raise RowError."""
    service_id = _identifier(_text(raw, "service_id"))
    if not _SERVICE_ID.match(service_id):
        raise RowError(BAD_ID, service_id)
    parent_id = _identifier(_text(raw, "parent_id")) or None
    if parent_id is not None:
        if not _SERVICE_ID.match(parent_id) or parent_id == service_id:
            raise RowError(BAD_PARENT, parent_id)
        if not service_id.startswith(parent_prefix(parent_id)):
            raise RowError(PARENT_PREFIX, parent_id)
    title = normalize_text(_text(raw, "title"))
    if not title:
        raise RowError(EMPTY_TITLE)
    agency_code = _normalize_repeated(_text(raw, "agency_code"))
    agency_name = _normalize_repeated(_text(raw, "agency_name"))
    if not agency_code or not agency_name:
        raise RowError(EMPTY_AGENCY)
    types = _service_types(_text(raw, "service_type"))
    if types is None:
        raise RowError(BAD_TYPE, _text(raw, "service_type"))
    status = _text(raw, "status").strip().lower()
    if status not in STATUSES:
        raise RowError(BAD_STATUS, status)
    raw_updated = raw.get("updated_at")
    if isinstance(raw_updated, datetime):  # a date cell in a spreadsheet
        updated_at = raw_updated if timezone.is_aware(raw_updated) else timezone.make_aware(raw_updated)
    else:
        updated_at = _updated_at(_text(raw, "updated_at").strip())
    digest = hashlib.blake2b(
        "\x1f".join(
            (parent_id or "", title, agency_code, agency_name, ";".join(types), status, str(updated_at.timestamp()))
        ).encode(),
        digest_size=16,
    ).hexdigest()
    return ServiceRow(
        line=line, service_id=service_id, parent_id=parent_id, title=title, agency_code=agency_code,
        agency_name=agency_name, service_types=types, status=status, updated_at=updated_at, content_hash=digest,
    )
