"""The review page, the receipt (رسید خدمت) and its Persian PDF with a QR code to tracking."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from catalog.models import Unit
from intake.models import ServiceRequest, WizardDraft
from lib.pdf import pdf_render, pdf_response, qr_data_uri
from notifications.selectors import sms_is_out, sms_status_for
from payments.selectors import payments_paid
from tenants.selectors import tenant_url

VISIT_LABELS = {"visit_unit": "واحد مراجعه‌شده", "clerk_name": "نام کارمند", "clerk_position": "سمت کارمند",
                "visit_date": "تاریخ مراجعه", "previous_result": "نتیجه مراجعه قبلی", "description": "توضیحات"}


def visit_rows(visit: dict | None) -> list[tuple[str, object]]:
    """The visit step's answers as (Persian label, value), the unit by name and the date as a date."""
    rows = []
    for key, label in VISIT_LABELS.items():
        value = (visit or {}).get(key)
        if not value:
            continue
        if key == "visit_unit":
            value = str(Unit.objects.filter(pk=value).first() or "")
        elif key == "visit_date":
            value = date.fromisoformat(value)
        rows.append((label, value))
    return rows


def review_context(draft: WizardDraft) -> dict:
    """Everything entered so far, as the review step shows it."""
    data = draft.data
    return {
        "unit": Unit.objects.filter(pk=data.get("unit")).first(), "details": data.get("details", {}),
        "applicant": data.get("applicant", {}), "visit": visit_rows(data.get("visit")), "files": list(draft.files.all()),
    }


def tracking_url(tenant, code: str | None = None) -> str:
    # The code travels in the fragment: browsers never send it, so no server log holds it.
    return tenant_url(tenant, reverse("intake:track")) + (f"#{code}" if code else "")


def tracking_qr(tenant, code: str) -> str:
    """The tracking link as a QR code (data URI): on the receipt, its PDF and the tracking page,
    so a printed page leads back to the request."""
    return qr_data_uri(tracking_url(tenant, code))


def receipt_context(*, service_request: ServiceRequest, tenant) -> dict:
    unit = service_request.unit
    return {
        "service_request": service_request, "service": service_request.service, "unit": unit, "tenant": tenant,
        "files": list(service_request.attachments.all()), "sms_sent": sms_is_out(service_request.sms_message_id),
        "sms_status": sms_status_for(service_request.sms_message_id),
        "visit": visit_rows(service_request.visit),
        "tracking_url": tracking_url(tenant, service_request.tracking_code),
        # The same QR the PDF carries, so a printed page of the receipt opens the tracking page too.
        "qr": tracking_qr(tenant, service_request.tracking_code),
        "payments": payments_paid(wizard_token=service_request.wizard_token) if service_request.wizard_token else [],
    }


def receipt_pdf(*, service_request: ServiceRequest, tenant) -> bytes:
    context = receipt_context(service_request=service_request, tenant=tenant)
    context.update(now=timezone.now())
    return pdf_render("intake/pdf/receipt.html", context)


def receipt_response(*, service_request: ServiceRequest, tenant):
    """The receipt in the browser's viewer: the same PDF from the wizard, the tracking page and the desk."""
    return pdf_response(receipt_pdf(service_request=service_request, tenant=tenant), filename="receipt.pdf", inline=True)
