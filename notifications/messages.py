"""The texts of the SMS and e-mails citizens get, one template per event, editable by a
tenant's admins in Persian. Placeholders are named (`{code}`) and checked before saving."""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from lib.generations import generation_renew, remembered
from notifications import error_codes
from notifications.models import MessageTemplate

# The tenant's own templates are kept by each web process until one changes (receivers.py):
# every submit writes a receipt SMS from them.
TEMPLATES = "message-templates"


@dataclass(frozen=True)
class Event:
    label: str
    placeholders: dict[str, str]  # name -> what it stands for, shown to the admin
    required: tuple[str, ...]
    sms: str
    email_subject: str = ""
    email_body: str = ""


EVENTS: dict[str, Event] = {
    "receipt": Event(
        label="ثبت درخواست (رسید)",
        placeholders={"service": "عنوان خدمت", "code": "کد رهگیری", "date": "تاریخ وعده پاسخ"},
        required=("code",),
        sms="درخواست «{service}» ثبت شد. کد رهگیری: {code}. تاریخ پاسخ: {date}",
    ),
    "ask_citizen": Event(
        label="درخواست مدارک یا اطلاعات از متقاضی",
        placeholders={"code": "کد رهگیری", "link": "نشانی پیگیری", "question": "متن درخواست کارشناس"},
        required=("code",),
        sms="میز خدمت برای درخواست {code} از شما مدرک یا اطلاعاتی خواسته است. با کد رهگیری در بخش پیگیری پاسخ دهید. {link}",
        email_subject="درخواست مدارک برای درخواست {code}",
        email_body="میز خدمت برای درخواست {code} از شما مدرک یا اطلاعاتی خواسته است:\n\n{question}\n\nبا کد رهگیری در بخش پیگیری پاسخ دهید: {link}",
    ),
    "answer": Event(
        label="صدور پاسخ",
        placeholders={"code": "کد رهگیری", "number": "شماره نامه پاسخ", "link": "نشانی پیگیری"},
        required=("code",),
        sms="پاسخ درخواست {code} به شماره {number} صادر شد. آن را در پیگیری درخواست ببینید و دریافت کنید. {link}",
        email_subject="پاسخ درخواست شما صادر شد",
        email_body="پاسخ درخواست {code} به شماره {number} صادر شد. آن را در پیگیری درخواست ببینید و دریافت کنید: {link}",
    ),
    "survey": Event(
        label="دعوت به نظرسنجی",
        placeholders={"service": "عنوان خدمت", "code": "کد رهگیری", "link": "نشانی نظرسنجی"},
        required=("link",),
        sms="از شما برای ارزیابی خدمت «{service}» (درخواست {code}) سپاسگزاریم: {link}",
    ),
}
FIELDS = ("sms", "email_subject", "email_body")


def _names(text: str) -> list[str]:
    try:
        return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValidationError("آکولادها { } باید جفت باشند؛ برای نوشتن خود آکولاد آن را دوبار بنویسید.", code=error_codes.PLACEHOLDER_BRACES_UNBALANCED) from error


def template_check(*, event: str, field: str, text: str) -> None:
    """Only the event's own placeholders, written plainly; the SMS must keep the required ones."""
    spec = EVENTS[event]
    names = _names(text)
    unknown = sorted({name for name in names if name not in spec.placeholders})
    if unknown:
        allowed = "، ".join("{" + name + "}" for name in spec.placeholders)
        raise ValidationError(f"جای‌نگهدار ناشناخته: {'، '.join('{' + n + '}' for n in unknown)}. مجاز: {allowed}", code=error_codes.PLACEHOLDER_UNKNOWN)
    if field == "sms":
        if not text.strip():
            raise ValidationError("متن پیامک نمی‌تواند خالی باشد.", code=error_codes.SMS_EMPTY)
        missing = [name for name in spec.required if name not in names]
        if missing:
            raise ValidationError(f"متن پیامک باید {'، '.join('{' + n + '}' for n in missing)} را داشته باشد.", code=error_codes.SMS_PLACEHOLDER_MISSING)


@transaction.atomic
def template_save(*, event: str, texts: dict[str, str], actor: str) -> MessageTemplate:
    """Check every field, then save them together (nothing is saved when one is wrong)."""
    errors = {}
    for field in FIELDS:
        try:
            template_check(event=event, field=field, text=texts.get(field, ""))
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    row, _created = MessageTemplate.objects.update_or_create(
        event=event, defaults={**{f: texts.get(f, "") for f in FIELDS}, "updated_by": actor}
    )
    return row


def template_reset(*, event: str) -> None:
    MessageTemplate.objects.filter(event=event).delete()


def message_text(*, event: str, field: str, **values) -> str:
    """The text of `field` ("sms", "email_subject", "email_body") for `event`, this tenant's
    version if it has one, filled with `values`."""
    spec = EVENTS[event]
    row = _templates().get(event)
    default = getattr(spec, field)
    text = (getattr(row, field) if row else "") or default
    try:
        return text.format_map({name: values.get(name, "") for name in spec.placeholders})
    except (KeyError, ValueError, IndexError):  # a template saved before a placeholder was retired
        return default.format_map({name: values.get(name, "") for name in spec.placeholders})


def _templates() -> dict[str, MessageTemplate]:
    """The tenant's own templates by event (read only), kept while none changes."""
    return remembered(TEMPLATES, "all", lambda: {row.event: row for row in MessageTemplate.objects.all()},
                      seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)


def templates_changed() -> None:
    generation_renew(TEMPLATES)
