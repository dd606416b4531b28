"""The review page, the receipt (رسید خدمت) and its Persian PDF with a QR code to tracking."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from catalog.models import Unit
from intake.models import Request, WizardDraft
from lib.pdf import pdf_render, pdf_response, qr_data_uri
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


def receipt_context(*, request_obj: Request, tenant) -> dict:
    from notifications.selectors import sms_is_out, sms_status_for

    unit = request_obj.unit
    return {
        "req": request_obj, "service": request_obj.service, "unit": unit, "tenant": tenant,
        "files": list(request_obj.attachments.all()), "sms_sent": sms_is_out(request_obj.sms_message_id),
        "sms_status": sms_status_for(request_obj.sms_message_id),
        "visit": visit_rows(request_obj.visit),
        "tracking_url": tracking_url(tenant, request_obj.tracking_code),
    }


def receipt_pdf(*, request_obj: Request, tenant) -> bytes:
    context = receipt_context(request_obj=request_obj, tenant=tenant)
    context.update(qr=qr_data_uri(context["tracking_url"]), now=timezone.now())
    return pdf_render("intake/pdf/receipt.html", context)


def receipt_response(*, request_obj: Request, tenant):
    """The receipt in the browser's viewer: the same PDF from the wizard, the tracking page and the desk."""
    return pdf_response(receipt_pdf(request_obj=request_obj, tenant=tenant), filename="receipt.pdf", inline=True)
