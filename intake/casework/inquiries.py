"""Inquiries to other bodies (استعلام): what was sent, when, its due date and the reply; the
working days spent waiting on other bodies are counted apart from the desk's own time."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import desk_calendar, working_days_between
from intake import error_codes
from intake.casework.selectors import can_work_on
from intake.files import upload_check
from intake.models import Inquiry, RequestEvent, ServiceRequest


@transaction.atomic
def inquiry_send(*, service_request: ServiceRequest, actor, body: str, sent_on, due_on, letter_text: str = "", letter_file=None) -> Inquiry:
    if not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    if not body.strip() or not (letter_text.strip() or letter_file):
        raise ValidationError(_("نام دستگاه و متن یا پرونده نامه لازم است."), code=error_codes.INQUIRY_CONTENT_REQUIRED)
    if due_on < sent_on:
        raise ValidationError(_("مهلت پاسخ پیش از تاریخ ارسال است."), code=error_codes.INQUIRY_DEADLINE_BEFORE_SENT)
    inquiry = Inquiry(request=service_request, body=body.strip(), letter_text=letter_text.strip(), sent_on=sent_on, due_on=due_on, created_by=actor.email or "")
    if letter_file:
        extension, _mime = upload_check(service=service_request.service, upload=letter_file, already=0)
        inquiry.letter_file.save(f"letter{extension}", letter_file, save=False)
    inquiry.save()
    RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.INQUIRY_SENT, data={"body": inquiry.body},
                                actor=actor.email or "")
    return inquiry


@transaction.atomic
def inquiry_reply_record(*, inquiry: Inquiry, actor, replied_on, reply_text: str) -> Inquiry:
    if not can_work_on(user=actor, service_request=inquiry.request):
        raise PermissionDenied
    if replied_on < inquiry.sent_on:
        raise ValidationError(_("تاریخ پاسخ پیش از تاریخ ارسال است."), code=error_codes.INQUIRY_ANSWER_BEFORE_SENT)
    inquiry.replied_on, inquiry.reply_text = replied_on, reply_text.strip()
    inquiry.save(update_fields=["replied_on", "reply_text"])
    RequestEvent.objects.create(request=inquiry.request, kind=RequestEvent.Kind.INQUIRY_REPLIED, data={"body": inquiry.body},
                                actor=actor.email or "")
    return inquiry


def inquiry_waiting_days(inquiry: Inquiry, today=None) -> int:
    thursday, closures = desk_calendar()
    end = inquiry.replied_on or today or timezone.localdate()
    return working_days_between(inquiry.sent_on, end, thursday_is_working=thursday, closures=closures)


def inquiries_summary(service_request: ServiceRequest) -> dict:
    """The request's inquiries with the working days each waited, and their total."""
    rows = [(inquiry, inquiry_waiting_days(inquiry)) for inquiry in service_request.inquiries.all()]
    return {"inquiries": rows, "inquiry_days": sum(days for _inquiry, days in rows)}
