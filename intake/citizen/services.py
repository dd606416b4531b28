"""Use cases of a citizen's request: fill the wizard, attach documents, submit once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from billing.selectors import limit_allows
from billing.usage import REQUESTS_PER_MONTH
from catalog.models import Unit
from catalog.selectors import first_stage_id
from intake.calendar import promised_date_for
from intake import error_codes
from intake.files import display_name, upload_check
from intake.models import Attachment, DraftFile, RequestEvent, ServiceRequest, WizardDraft
from intake.signals import request_submitted
from lib.jalali import jalali_format as jdate
from lib.persian import to_persian_digits
from notifications.messages import message_text
from notifications.models import SmsMessage
from payments import error_codes as payment_codes
from payments.selectors import fees_unpaid
from notifications.services import sms_queue
from tenants.cluster import tenant_writes_guard
from tenants.models import Tenant
from tenants.selectors import tenant_for_schema
from tenants.tracking_codes import tracking_code_reserve

REQUIRED_STEPS = ("details", "applicant")


def draft_start(*, service, channel: str = ServiceRequest.Channel.ONLINE, assisted_by: str = "", unit: Unit | None = None,
                token=None, client_key: str = "", steps: dict | None = None) -> WizardDraft:
    """A new wizard for a published service; its token later makes the submit idempotent (the
    API passes the client's Idempotency-Key as the token, and the client's fingerprint, and
    every step at once)."""
    extra = {"token": token} if token else {}
    return WizardDraft.objects.create(
        service=service, channel=channel, assisted_by=assisted_by, data={"unit": unit.pk if unit else None, **(steps or {})},
        client_key=client_key, **extra,
    )


def draft_save_step(*, draft: WizardDraft, step: str, values: dict) -> WizardDraft:
    """Keep what the citizen entered in a step (also on "مرحله قبل", so nothing is lost)."""
    draft.data[step] = values
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def draft_attach(*, draft: WizardDraft, upload) -> DraftFile:
    draft = WizardDraft.objects.select_for_update().get(pk=draft.pk)
    extension, mime = upload_check(service=draft.service, upload=upload, already=draft.files.count())
    attached = DraftFile(draft=draft, display_name=display_name(upload.name), content_type=mime, extension=extension, size=upload.size)
    attached.file.save("upload", upload, save=False)
    attached.save()
    return attached


def draft_detach(*, draft: WizardDraft, file_id: int) -> None:
    for attached in draft.files.filter(pk=file_id):
        attached.file.delete(save=False)
        attached.delete()


def tenant_of_connection() -> Tenant:
    """The tenant whose schema this connection is on (a Celery task or shell has no request)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant
    return tenant_for_schema(connection.schema_name)


def request_submit(*, token, citizen=None) -> ServiceRequest:
    """Register the request, its files and its first event in one transaction.

    Submitting the same wizard again (a double click, a retry after a time-out, two at once)
    returns the request the first submit made: the draft row is locked while we decide.
    """
    with transaction.atomic():
        tenant_writes_guard()  # on a Citus cluster, not while the tenant moves
        draft = WizardDraft.objects.select_for_update().select_related("service").get(token=token)
        existing = ServiceRequest.objects.filter(wizard_token=draft.token).first()
        if existing:
            return existing
        drafted = list(draft.files.all())
        attachments = [
            Attachment(file=attached.file.name, display_name=attached.display_name, content_type=attached.content_type, size=attached.size)
            for attached in drafted
        ]
        service_request = draft_submit(draft=draft, citizen=citizen, attachments=attachments)
        if drafted:  # the rows only: the stored files now belong to the request
            DraftFile.objects.filter(pk__in=[attached.pk for attached in drafted]).delete()
    return service_request


def draft_submit(*, draft: WizardDraft, attachments: list[Attachment], citizen=None, unit: Unit | None = None) -> ServiceRequest:
    """The request of a draft no one else can submit now (locked, or created in this
    transaction), with its files (`attachments`, unsaved) already stored: the rules, then as few
    statements as a submit needs (the API's submit is the busiest write of the portal). `unit`:
    the draft's unit when the caller holds it already."""
    missing = [step for step in REQUIRED_STEPS if step not in draft.data]
    if missing:
        raise ValidationError(_("برخی مراحل درخواست کامل نشده است."), code=error_codes.DRAFT_INCOMPLETE)
    with transaction.atomic(savepoint=False):  # all or nothing with the caller's transaction
        _monthly_limit_check()
        _payment_check(draft)
        tracking_code = tracking_code_reserve(tenant=tenant_of_connection())
        promised_date = promised_date_for(service=draft.service, submitted_on=timezone.localdate())
        # The receipt's SMS first, so that the request is written once, already naming it.
        sms = receipt_sms_queue_for(service=draft.service, mobile=draft.data["applicant"]["mobile"],
                                    tracking_code=tracking_code, promised_date=promised_date)
        service_request = _request_create(draft, citizen, unit=unit, tracking_code=tracking_code, promised_date=promised_date,
                                          sms_message_id=sms.pk)
        service_request.receipt_sms = sms  # the API's receipt shows its status without reading it back
        for attachment in attachments:
            attachment.request = service_request
        Attachment.objects.bulk_create(attachments)
        RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.SUBMITTED, actor=draft.assisted_by)
        request_submitted.send(sender=ServiceRequest, service_request=service_request)
    return service_request


def _payment_check(draft: WizardDraft) -> None:
    """Never submitted unpaid: online (the portal, the API, an Open311 client: any channel but
    the desk's), every fee a gateway collects must be paid and verified (in person, the desk
    takes the fee at the counter)."""
    at_the_desk = (ServiceRequest.Channel.IN_PERSON, ServiceRequest.Channel.ASSISTED)
    if draft.channel not in at_the_desk and fees_unpaid(wizard_token=draft.token, service=draft.service):
        raise ValidationError(_("هزینه‌های این خدمت هنوز پرداخت نشده است؛ پیش از ثبت نهایی آن‌ها را پرداخت کنید."),
                              code=payment_codes.PAYMENT_REQUIRED)


def _monthly_limit_check() -> None:
    """The tenant's plan caps its requests per Jalali month (billing's limit). Submits in
    flight at the same moment may pass the ceiling by a few: locking every submit of the
    tenant for an exact count would cost more than the overshoot."""
    if not limit_allows(tenant=tenant_of_connection(), limit=REQUESTS_PER_MONTH):
        raise ValidationError(_(
            "ظرفیت ثبت درخواست این ماه در سامانه این دستگاه پر شده است و درخواست شما ثبت نشد؛ "
            "لطفاً با واحد پاسخگویی دستگاه تماس بگیرید."
        ), code=error_codes.MONTHLY_LIMIT_REACHED)


def _request_create(draft: WizardDraft, citizen, *, unit: Unit | None, tracking_code: str, promised_date, sms_message_id: int) -> ServiceRequest:
    service, data = draft.service, draft.data
    applicant, visit = data["applicant"], data.get("visit", {})
    if unit is None:
        unit = Unit.objects.filter(pk=data.get("unit")).first() or service.units.order_by("order", "id").first()
    return ServiceRequest.objects.create(
        tracking_code=tracking_code,
        wizard_token=draft.token, service=service, unit=unit, text=data["details"]["text"],
        extra=data["details"].get("extra", {}), applicant_kind=applicant.get("applicant_kind", "natural"),
        national_code=applicant["national_code"], first_name=applicant["first_name"], last_name=applicant["last_name"],
        mobile=applicant["mobile"], landline=applicant.get("landline", ""), email=applicant.get("email", ""),
        address=applicant.get("address", ""), company_national_id=applicant.get("company_national_id", ""),
        company_name=applicant.get("company_name", ""), visit=visit, channel=draft.channel,
        assisted_by=draft.assisted_by, applicant_consent_at=parse_datetime(data.get("consent_at") or ""),
        current_stage_id=first_stage_id(service),
        promised_date=promised_date, citizen=citizen, sms_message_id=sms_message_id,
    )


def receipt_sms_queue(service_request: ServiceRequest) -> int | None:
    """The receipt's SMS (tracking code and promised date) queued again; its outbox id, for the receipt page."""
    return receipt_sms_queue_for(
        service=service_request.service, mobile=service_request.mobile,
        tracking_code=service_request.tracking_code, promised_date=service_request.promised_date,
    ).pk


def receipt_sms_queue_for(*, service, mobile: str, tracking_code: str, promised_date) -> SmsMessage:
    text = message_text(
        event="receipt", field="sms", service=service.approved_title, code=to_persian_digits(tracking_code), date=jdate(promised_date),
    )
    return sms_queue(mobile=mobile, text=text, purpose="receipt")
