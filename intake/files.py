"""Uploaded documents: the type is read from the content, never from the name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from intake import error_codes
from lib.forms_kept import file_label
from lib.persian import to_persian_digits
from lib.uploads import KNOWN_TYPES, content_type_of, type_names  # what a card may allow: lib/uploads.py


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
    allowed = allowed_types(service)
    proved = content_type_of(upload, allowed)
    if proved is None:
        raise ValidationError(
            _("نوع «%(name)s» پذیرفته نیست؛ فقط %(types)s.") % {"name": display_name(upload.name), "types": type_names(allowed)}, code=error_codes.FILE_TYPE_REFUSED
        )
    return proved


def display_name(name: str) -> str:
    """A short, harmless label of the citizen's file name, for showing only."""
    return file_label(name)
