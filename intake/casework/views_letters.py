"""The answer letter: issued by staff, downloaded by the citizen after the one-time code, and
confirmed to anyone holding the paper by its public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from intake.access import granted_or_404, reachable_or_404
from intake.casework.letters import letter_issue, letter_pdf
from intake.casework.forms import LetterIssueForm, form_refusal
from intake.casework.views import WORKERS, refused
from intake.models import AnswerLetter
from lib.pdf import pdf_filename, pdf_response


@require_POST
@staff_required(*WORKERS)
def issue(request, pk: int):
    service_request = reachable_or_404(request, pk)
    form = LetterIssueForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        letter_issue(service_request=service_request, actor=request.user, tenant=request.tenant, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, service_request, form="letter", error=error)
    messages.success(request, "پاسخ صادر شد و به متقاضی خبر داده شد.")
    return redirect("staff_requests:detail", pk=service_request.pk)


def _pdf(letter, tenant):
    return pdf_response(letter_pdf(letter=letter, tenant=tenant), filename=pdf_filename("answer", letter.number))


@staff_required(*WORKERS)
def staff_pdf(request, pk: int):
    letter = get_object_or_404(AnswerLetter, request=reachable_or_404(request, pk))
    return _pdf(letter, request.tenant)


def citizen_pdf(request, pk: int):
    letter = get_object_or_404(AnswerLetter, request=granted_or_404(request, pk))
    return _pdf(letter, request.tenant)


@never_cache
def verify(request, public_id: str):
    """Anyone holding the paper (the QR code carries the letter's unguessable public id) can
    compare it with what was issued: number, date, addressee, subject, body and hash. No
    national code or tracking code (together they open tracking); an unknown id shows nothing."""
    letter = AnswerLetter.objects.select_related("request__service").filter(public_id=public_id).first()
    response = render(request, "intake/letter_verify.html", {"letter": letter, "tenant": request.tenant}, status=200 if letter else 404)
    # The address is the key to the letter: never sent on to another site, never indexed.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
