"""What a citizen does on their granted tracking page (after the one-time code): answer the
desk's questions with text and files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from intake.models import Request
from intake.views_tracking import _granted


def granted_or_403(request, pk: int) -> Request:
    found = get_object_or_404(Request, pk=pk)
    if not _granted(request, found):
        raise PermissionDenied
    return found


@require_POST
def answer(request, pk: int):
    from intake.conversation import request_citizen_answer

    found = granted_or_403(request, pk)
    try:
        request_citizen_answer(request=found, text=request.POST.get("text", ""), uploads=request.FILES.getlist("documents")[:5])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "پاسخ شما برای میز خدمت فرستاده شد.")
    return redirect("intake:track_detail_pk", pk=found.pk)
