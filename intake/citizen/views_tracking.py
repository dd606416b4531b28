"""Tracking (پیگیری درخواست): code plus national ID or mobile shows the stages; a one-time
SMS code (or a signed-in citizen account) opens the whole request and its files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.access import citizen_grant, citizen_granted, files_reachable_or_404, granted_or_404
from intake.casework.objections import objection_too_late
from intake.citizen.receipts import tracking_qr
from intake.citizen.selectors import citizen_requests, request_is_late, request_visible_events
from intake.citizen.tracking_lookup import tracking_lookup
from intake.files import KNOWN_TYPES
from intake.models import AnswerLetter, Attachment, ServiceRequest
from lib.client_ip import client_ip
from notifications.otp import otp_send, otp_verify
from intake.citizen.views_payment import review_fees_context
from payments.selectors import payments_paid

# The session's key for the request this browser last looked up (code and national ID or mobile).
FOUND_KEY = "intake_found"


@never_cache
def track(request):
    """GET: the form. POST: the look-up (never in the URL, so never in a log)."""
    error, service_request, limited = None, None, False
    if request.method == "POST":
        # The rules (rate limits, Luhn, "not found" for any wrong pair) are shared with the API.
        lookup = tracking_lookup(ip=client_ip(request), code=request.POST.get("code", ""), identity=request.POST.get("identity", ""))
        service_request, error, limited = lookup.found, lookup.message or None, lookup.limited
        if service_request:
            request.session[FOUND_KEY] = service_request.pk
    elif request.session.get(FOUND_KEY) and request.GET.get("again") is None:
        service_request = ServiceRequest.objects.filter(pk=request.session[FOUND_KEY]).first()
    # What was typed comes back with the page, so a mistyped pair is corrected, not retyped.
    context = {"error": error, "code": request.POST.get("code", ""), "identity": request.POST.get("identity", "")}
    if service_request:
        context.update(status_context(service_request), granted=citizen_granted(request, service_request))
    return render(request, "intake/track.html", context, status=429 if limited else 200)


def status_context(service_request: ServiceRequest) -> dict:
    """What the tracking pages show of a request: stages, visible events, lateness."""
    stages = list(service_request.service.stages.all())
    letter = getattr(service_request, "letter", None)  # the reverse one-to-one raises AttributeError when absent
    return {
        "service_request": service_request, "events": request_visible_events(service_request), "stages": stages, "late": request_is_late(service_request),
        "objection_too_late": bool(letter and objection_too_late(letter)),
    }


def _looked_up_or_404(request) -> ServiceRequest:
    """The request this browser looked up last (the one-time code is asked for it)."""
    service_request = ServiceRequest.objects.filter(pk=request.session.get(FOUND_KEY)).first()
    if service_request is None:
        raise Http404
    return service_request


@require_POST
def otp_request(request):
    service_request = _looked_up_or_404(request)
    try:
        otp = otp_send(mobile=service_request.mobile, purpose="tracking", subject=service_request.tracking_code)
    except ValidationError as error:
        return render(request, "intake/track.html", {**status_context(service_request), "otp_error": " ".join(error.messages), "otp_sent": True})
    # The page says «پیامک شد» only when `otp.is_out`; otherwise queued, until when, and when to ask again.
    return render(request, "intake/track.html", {
        **status_context(service_request), "otp_sent": True, "otp": otp, "masked_mobile": service_request.mobile[:4] + "***" + service_request.mobile[-4:],
    })


@require_POST
def otp_check(request):
    service_request = _looked_up_or_404(request)
    if otp_verify(mobile=service_request.mobile, purpose="tracking", subject=service_request.tracking_code, code=request.POST.get("otp", "")):
        citizen_grant(request, service_request)
        return redirect("intake:track_detail")
    return render(request, "intake/track.html", {
        **status_context(service_request), "otp_sent": True, "otp_error": "رمز یکبار مصرف درست نیست یا منقضی شده است.",
        "otp_typed": request.POST.get("otp", ""),
    })


@never_cache
def track_detail(request, pk: int | None = None):
    """The whole request, its files and (later) its answer: only after the one-time code. By id,
    a request this browser may not open is not found (ids are not probed for which exist); the
    one it looked up by its code is refused until the code is entered."""
    if pk:
        service_request = granted_or_404(request, pk)
    else:
        service_request = _looked_up_or_404(request)
        if not citizen_granted(request, service_request):
            raise PermissionDenied
    return render(request, "intake/track_detail.html", {
        **status_context(service_request), "files": service_request.attachments.all(),
        "qr": tracking_qr(request.tenant, service_request.tracking_code),
        "payments": payments_paid(wizard_token=service_request.wizard_token) if service_request.wizard_token else [],
        **review_fees_context(request, service_request),
    })


def _download(stored, *, content_type: str, name: str) -> FileResponse:
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_download(request, attachment_id: int):
    """One of the request's own files (the citizen's, or one sent with a message)."""
    attachment = get_object_or_404(Attachment.objects.select_related("request"), pk=attachment_id)
    files_reachable_or_404(request, attachment.request)
    return _download(attachment.file, content_type=attachment.content_type, name=f"document-{attachment.pk}{attachment.file.name[-4:]}")


def letter_attachment_download(request, pk: int):
    """The answer letter's attachment (the letter says «پیوست: دارد»), under the same rule."""
    letter = get_object_or_404(AnswerLetter.objects.select_related("request"), request_id=pk)
    if not letter.attachment:
        raise Http404
    files_reachable_or_404(request, letter.request)
    extension = letter.attachment.name.rsplit(".", 1)[-1].lower()
    return _download(letter.attachment, content_type=KNOWN_TYPES.get(extension, "application/octet-stream"),
                     name=f"answer-{letter.number.replace('/', '-')}-attachment.{extension}")


@login_required
def my_requests(request):
    """مشاهده سوابق درخواست‌ها: a signed-in citizen's requests."""
    return render(request, "intake/my_requests.html", {"requests": citizen_requests(user=request.user)})
