"""Uploaded documents: the type is read from the content, never from the name."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from intake import error_codes
from lib.forms_kept import file_label
from lib.persian import to_persian_digits

# What a card may allow, by extension, and the MIME types the content must prove.
KNOWN_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
}


def allowed_types(service) -> dict[str, str]:
    wanted = {t.strip().lower().lstrip(".") for t in service.attachment_types.split(",") if t.strip()}
    return {ext: mime for ext, mime in KNOWN_TYPES.items() if ext in wanted}


def upload_check(*, service, upload, already: int) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable upload, or a Persian ValidationError."""
    if already >= service.attachment_max_files:
        raise ValidationError(_("بیش از %(n)s پرونده نمی‌توان پیوست کرد.") % {"n": to_persian_digits(service.attachment_max_files)}, code=error_codes.FILES_TOO_MANY)
    if upload.size > service.attachment_max_kb * 1024:
        raise ValidationError(
            _("اندازه «%(name)s» بیش از %(kb)s کیلوبایت است.") % {"name": display_name(upload.name), "kb": to_persian_digits(service.attachment_max_kb)}, code=error_codes.FILE_TOO_LARGE
        )
    if upload.size == 0:
        raise ValidationError(_("پرونده «%(name)s» خالی است.") % {"name": display_name(upload.name)}, code=error_codes.FILE_EMPTY)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = allowed_types(service)
    if kind is None or kind.mime not in allowed.values():
        names = "، ".join(sorted({ext.upper() for ext in allowed if ext != "jpeg"}))
        raise ValidationError(_("نوع «%(name)s» پذیرفته نیست؛ فقط %(types)s.") % {"name": display_name(upload.name), "types": names}, code=error_codes.FILE_TYPE_REFUSED)
    extension = "jpg" if kind.mime == "image/jpeg" else kind.extension
    return f".{extension}", kind.mime


def display_name(name: str) -> str:
    """A short, harmless label of the citizen's file name, for showing only."""
    return file_label(name)
