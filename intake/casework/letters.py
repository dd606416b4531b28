"""The answer letter (پاسخ): numbered per tenant and Jalali year without gaps or repeats (a
counter row locked for the transaction), issued electronically, printed as a Persian PDF on
the tenant's letterhead with a QR code to a public verification page."""

from __future__ import annotations

import hashlib
import json

import jdatetime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import error_codes
from intake.casework.selectors import can_work_on
from intake.citizen.receipts import tracking_url
from intake.files import upload_check
from intake.models import AnswerLetter, LetterCounter, RequestEvent, ServiceRequest
from intake.surveys.services import survey_invite_after_answer
from lib.pdf import pdf_render, qr_data_uri
from lib.persian import to_persian_digits
from notifications.messages import message_text
from notifications.services import email_queue, sms_queue
from tenants.selectors import tenant_url


def letter_number_take(*, year: int) -> int:
    """The next number of `year`; call inside the issuing transaction (the row stays locked
    until it commits, so two issues never get the same number and a rollback leaves no gap)."""
    LetterCounter.objects.bulk_create([LetterCounter(year=year)], ignore_conflicts=True)
    counter = LetterCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def letter_hash(letter: AnswerLetter, tenant_name: str) -> str:
    fields = {
        "tenant": tenant_name, "number": letter.number, "date": letter.issued_on.isoformat(), "name": letter.applicant_name,
        "national_code": letter.national_code, "outcome": letter.outcome, "legal_basis": letter.legal_basis,
        "content": letter.content, "objection_route": letter.objection_route, "objection_days": letter.objection_days,
        "notes": letter.notes,
    }
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def letter_issue(*, service_request: ServiceRequest, actor, tenant, outcome: str, legal_basis: str, content: str,
                 objection_route: str = "", objection_days: int | None = None, notes: str = "", attachment=None) -> AnswerLetter:
    """Issue the answer; the citizen is told by SMS (and e-mail) and sees it when tracking."""
    if not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    service_request = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=service_request.pk)
    if AnswerLetter.objects.filter(request=service_request).exists():
        raise ValidationError(_("پاسخ این درخواست پیش‌تر صادر شده است."), code=error_codes.LETTER_ALREADY_ISSUED)
    if outcome not in AnswerLetter.Outcome.values or not legal_basis.strip() or not content.strip():
        raise ValidationError(_("نتیجه، مستندات قانونی و مفاد اصلی پاسخ لازم است."), code=error_codes.LETTER_FIELDS_REQUIRED)
    if outcome == AnswerLetter.Outcome.REJECTED and not (objection_route.strip() and objection_days):
        raise ValidationError(_("برای رد درخواست، مرجع و مهلت اعتراض را بنویسید."), code=error_codes.REJECTION_OBJECTION_TERMS_REQUIRED)
    if objection_days is not None and not 1 <= objection_days <= 365:
        raise ValidationError(_("مهلت اعتراض باید میان ۱ تا ۳۶۵ روز باشد."), code=error_codes.OBJECTION_DAYS_OUT_OF_RANGE)
    today = timezone.localdate()
    year = jdatetime.date.fromgregorian(date=today).year
    sequence = letter_number_take(year=year)
    letter = AnswerLetter(
        request=service_request, year=year, sequence=sequence, number=f"{year}/{sequence}", issued_on=today,
        applicant_name=service_request.applicant_name, national_code=service_request.national_code, outcome=outcome,
        legal_basis=legal_basis.strip(), content=content.strip(), objection_route=objection_route.strip(),
        objection_days=objection_days, notes=notes.strip(), issued_by=actor.email or "",
    )
    if attachment:
        extension, _mime = upload_check(service=service_request.service, upload=attachment, already=0)
        letter.attachment.save(f"letter{extension}", attachment, save=False)
    letter.content_hash = letter_hash(letter, tenant.name)
    letter.save()
    service_request.status = ServiceRequest.Status.ANSWERED if outcome == AnswerLetter.Outcome.GRANTED else ServiceRequest.Status.REJECTED
    service_request.answered_at, service_request.waiting_since = timezone.now(), None
    service_request.save(update_fields=["status", "answered_at", "waiting_since"])
    RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.ANSWERED, data={"number": letter.number},
                                actor=actor.email or "")
    _tell_citizen(service_request=service_request, letter=letter, tenant=tenant)
    return letter


def _tell_citizen(*, service_request: ServiceRequest, letter: AnswerLetter, tenant) -> None:
    values = {"code": to_persian_digits(service_request.tracking_code), "number": to_persian_digits(letter.number),
              "link": tracking_url(tenant, service_request.tracking_code)}
    sms_queue(mobile=service_request.mobile, text=message_text(event="answer", field="sms", **values), purpose="answer")
    if service_request.email:
        email_queue(to=[service_request.email], subject=message_text(event="answer", field="email_subject", **values),
                    body=message_text(event="answer", field="email_body", **values))

    survey_invite_after_answer(service_request=service_request, tenant=tenant)


def verify_url(tenant, letter: AnswerLetter) -> str:
    return tenant_url(tenant, reverse("intake:letter_verify", args=[letter.public_id]))


def letter_pdf(*, letter: AnswerLetter, tenant) -> bytes:
    url = verify_url(tenant, letter)
    return pdf_render("intake/pdf/letter.html", {
        "letter": letter, "service_request": letter.request, "tenant": tenant,
        "qr": qr_data_uri(url), "verify_url": url,
        "attachment_url": tenant_url(tenant, reverse("intake:letter_attachment", args=[letter.request_id])),
    })
