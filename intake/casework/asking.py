"""Asking the citizen for documents or information, and their answer through tracking. While
the request waits on the citizen the service clock stops: the promised date moves on by the
working days waited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import desk_calendar, working_days_add, working_days_between
from intake import error_codes
from intake.casework.selectors import can_work_on
from intake.files import display_name, upload_check
from intake.models import Attachment, RequestEvent, RequestMessage, ServiceRequest
from lib.persian import to_persian_digits
from notifications.messages import message_text
from notifications.services import email_queue, sms_queue


@transaction.atomic
def request_ask_citizen(*, service_request: ServiceRequest, actor, text: str, tracking_link: str = "") -> RequestMessage:
    """Ask for a missing document or fact; the citizen is told by SMS (and e-mail if known)."""
    if not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("متن درخواست از متقاضی را بنویسید."), code=error_codes.CITIZEN_QUESTION_REQUIRED)
    service_request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service").get(pk=service_request.pk)
    if service_request.status not in (ServiceRequest.Status.SUBMITTED, ServiceRequest.Status.IN_PROGRESS):
        raise ValidationError(_("در این وضعیت نمی‌توان از متقاضی چیزی خواست."), code=error_codes.CITIZEN_QUESTION_NOT_ALLOWED)
    service_request.status, service_request.waiting_since = ServiceRequest.Status.WAITING_CITIZEN, timezone.localdate()
    service_request.save(update_fields=["status", "waiting_since"])
    message = RequestMessage.objects.create(request=service_request, sender=RequestMessage.Sender.STAFF, author=actor.email or "", text=text.strip())
    RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.ASKED, note=text.strip(), actor=actor.email or "")
    _tell_citizen(service_request=service_request, text=text.strip(), tracking_link=tracking_link)
    return message


def _tell_citizen(*, service_request: ServiceRequest, text: str, tracking_link: str) -> None:
    values = {"code": to_persian_digits(service_request.tracking_code), "link": tracking_link, "question": text}
    sms_queue(mobile=service_request.mobile, text=message_text(event="ask_citizen", field="sms", **values), purpose="ask_citizen")
    if service_request.email:
        email_queue(to=[service_request.email], subject=message_text(event="ask_citizen", field="email_subject", **values),
                    body=message_text(event="ask_citizen", field="email_body", **values))


@transaction.atomic
def request_citizen_answer(*, service_request: ServiceRequest, text: str, uploads=()) -> RequestMessage:
    """The citizen's answer: files join the request, the clock runs again, the clerk has it back."""
    service_request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service").get(pk=service_request.pk)
    if service_request.status != ServiceRequest.Status.WAITING_CITIZEN:
        raise ValidationError(_("این درخواست اکنون منتظر پاسخ شما نیست."), code=error_codes.NOT_AWAITING_CITIZEN)
    if not text.strip() and not uploads:
        raise ValidationError(_("پاسخ یا پرونده‌ای بفرستید."), code=error_codes.CITIZEN_REPLY_EMPTY)
    message = RequestMessage.objects.create(request=service_request, sender=RequestMessage.Sender.CITIZEN, text=text.strip() or "—")
    for index, upload in enumerate(uploads):
        extension, mime = upload_check(service=service_request.service, upload=upload, already=index)
        attachment = Attachment(request=service_request, display_name=display_name(upload.name), content_type=mime, size=upload.size)
        attachment.file.save(f"reply{extension}", upload, save=False)
        attachment.save()
        message.files.add(attachment)
    thursday, closures = desk_calendar()
    today = timezone.localdate()
    waited = working_days_between(service_request.waiting_since or today, today, thursday_is_working=thursday, closures=closures)
    if waited:
        service_request.promised_date = working_days_add(service_request.promised_date, waited, thursday_is_working=thursday, closures=closures)
        if service_request.stage_due_date:
            service_request.stage_due_date = working_days_add(service_request.stage_due_date, waited, thursday_is_working=thursday, closures=closures)
    service_request.paused_days += waited
    service_request.status, service_request.waiting_since = ServiceRequest.Status.IN_PROGRESS, None
    service_request.save(update_fields=["promised_date", "stage_due_date", "paused_days", "status", "waiting_since"])
    RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.CITIZEN_ANSWERED, actor=_("متقاضی"))
    return message
