"""Objections (اعتراض): the citizen contests a rejection through tracking, and the objection
becomes a new request of the same service, linked to the rejected one, with its own tracking
code and receipt."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import promised_date_for
from intake import error_codes
from intake.citizen.services import receipt_sms_queue, tenant_of_connection
from intake.files import display_name, upload_check
from intake.models import AnswerLetter, Attachment, RequestEvent, ServiceRequest
from lib.jalali import jalali_format as jdate
from tenants.cluster import tenant_writes_guard
from tenants.tracking_codes import tracking_code_reserve

COPIED = ("service", "unit", "applicant_kind", "national_code", "first_name", "last_name", "mobile", "landline", "email",
          "address", "company_national_id", "company_name", "citizen")


def objection_allowed(service_request: ServiceRequest) -> bool:
    letter = getattr(service_request, "letter", None)  # the reverse one-to-one raises AttributeError when absent
    return bool(
        letter and letter.outcome == AnswerLetter.Outcome.REJECTED and not service_request.objections.exists()
        and not objection_too_late(letter)
    )


def objection_too_late(letter: AnswerLetter) -> bool:
    """Past the letter's deadline (its date plus its days, calendar days, in Tehran)."""
    deadline = letter.objection_deadline
    return deadline is not None and timezone.localdate() > deadline


def objection_file(*, original: ServiceRequest, text: str, uploads=()) -> ServiceRequest:
    """The citizen's objection to a rejection: one per rejected request, a request of its own."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("متن اعتراض را بنویسید."), code=error_codes.OBJECTION_TEXT_REQUIRED)
    with transaction.atomic():
        tenant_writes_guard()  # on a Citus cluster, not while the tenant moves
        original = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service", "letter").get(pk=original.pk)
        letter = getattr(original, "letter", None)
        if letter is not None and letter.outcome == AnswerLetter.Outcome.REJECTED and objection_too_late(letter):
            raise ValidationError(_("مهلت اعتراض به این پاسخ در %(date)s به پایان رسیده است.") % {"date": jdate(letter.objection_deadline)}, code=error_codes.OBJECTION_DEADLINE_PASSED)
        if not objection_allowed(original):
            raise ValidationError(_("برای این درخواست اعتراض پذیرفته نیست یا پیش‌تر ثبت شده است."), code=error_codes.OBJECTION_NOT_ACCEPTED)
        service = original.service
        objection = ServiceRequest.objects.create(
            **{field: getattr(original, field) for field in COPIED},
            tracking_code=tracking_code_reserve(tenant=tenant_of_connection()), wizard_token=uuid.uuid4(), text=text,
            objection_of=original, current_stage=service.stages.order_by("order").first(),
            promised_date=promised_date_for(service=service, submitted_on=timezone.localdate()),
        )
        for index, upload in enumerate(uploads):
            extension, mime = upload_check(service=service, upload=upload, already=index)
            attachment = Attachment(request=objection, display_name=display_name(upload.name), content_type=mime, size=upload.size)
            attachment.file.save(f"objection{extension}", upload, save=False)
            attachment.save()
        RequestEvent.objects.create(request=objection, kind=RequestEvent.Kind.OBJECTION_SUBMITTED, data={"number": original.letter.number}, actor=_("متقاضی"))
        RequestEvent.objects.create(request=original, kind=RequestEvent.Kind.OBJECTION, data={"code": objection.tracking_code}, actor=_("متقاضی"))
        objection.sms_message_id = receipt_sms_queue(objection)
        objection.save(update_fields=["sms_message_id"])
    return objection
