"""What a citizen does on their granted tracking page (after the one-time code): answer the
desk's questions with text and files, object to a rejection (a new linked request with its own
receipt)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from intake.access import citizen_grant, granted_or_404
from intake.casework.asking import request_citizen_answer
from intake.casework.objections import objection_file
from intake.citizen.receipts import receipt_context, receipt_response, tracking_qr
from intake.citizen.views_tracking import status_context
from intake.models import ServiceRequest
from lib.forms_kept import choose_again


@require_POST
def answer(request, pk: int):
    service_request = granted_or_404(request, pk)
    try:
        request_citizen_answer(service_request=service_request, text=request.POST.get("text", ""), uploads=request.FILES.getlist("documents")[:5])
    except ValidationError as error:
        return _refused(request, service_request, form="answer", error=error)
    messages.success(request, "پاسخ شما برای میز خدمت فرستاده شد.")
    return redirect("intake:track_detail_pk", pk=service_request.pk)


@require_POST
def objection(request, pk: int):
    service_request = granted_or_404(request, pk)
    try:
        filed = objection_file(original=service_request, text=request.POST.get("text", ""), uploads=request.FILES.getlist("documents")[:5])
    except ValidationError as error:
        return _refused(request, service_request, form="objection", error=error)
    # The same citizen, already proven by the one-time code, may track their objection.
    citizen_grant(request, filed)
    return redirect("intake:citizen_receipt", pk=filed.pk)


def _refused(request, service_request: ServiceRequest, *, form: str, error: ValidationError):
    """The request's page again, not a redirect: the form keeps the citizen's text and names
    the files to choose again (a browser never sends them twice)."""
    messages.error(request, " ".join(error.messages))
    return render(request, "intake/track_detail.html", {
        **status_context(service_request), "files": service_request.attachments.all(),
        "qr": tracking_qr(request.tenant, service_request.tracking_code),
        "kept": {form: request.POST}, "choose_again": {form: choose_again(request.FILES)},
    }, status=400)


def receipt(request, pk: int):
    service_request = granted_or_404(request, pk)
    context = receipt_context(service_request=service_request, tenant=request.tenant)
    context["pdf_url"] = reverse("intake:citizen_receipt_pdf", args=[service_request.pk])
    return render(request, "intake/receipt.html", context)


def receipt_download(request, pk: int):
    return receipt_response(service_request=granted_or_404(request, pk), tenant=request.tenant)
