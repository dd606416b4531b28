"""The staff area's requests: the queue, a request's page and the actions on it. Views parse
and respond; reach is decided by intake.casework.selectors, changes by intake.casework.workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from catalog.models import Service, Unit, WorkflowStage
from intake import error_codes
from intake.access import reachable_or_404
from intake.casework.asking import request_ask_citizen
from intake.casework.inquiries import inquiries_summary, inquiry_reply_record, inquiry_send
from intake.casework.selectors import QueueFilters, assignable_staff, can_assign, can_work_on, queue_requests, time_left_class
from intake.casework.workflow import request_accept, request_assign, request_move
from intake.citizen.receipts import tracking_url
from intake.models import ServiceRequest
from lib.forms_kept import choose_again
from lib.jalali import jalali_parse

WORKERS = (User.Role.UNIT_MANAGER, User.Role.CLERK)


@staff_required(*WORKERS, User.Role.DESK_OPERATOR)
def queue(request):
    filters = QueueFilters.from_query(request.GET)
    service_requests = list(queue_requests(user=request.user, filters=filters)[:200])
    rows = [(service_request, *time_left_class(service_request)) for service_request in service_requests]
    return render(request, "intake/staff/queue.html", {
        "rows": rows, "filters": filters, "params": request.GET,
        "units": Unit.objects.all(), "services": Service.objects.filter(requests__isnull=False).distinct(),
        "stages": WorkflowStage.objects.filter(service__requests__isnull=False).select_related("service").distinct(),
        "statuses": ServiceRequest.Status.choices, "channels": ServiceRequest.Channel.choices,
    })


@staff_required(*WORKERS, User.Role.DESK_OPERATOR)
def detail(request, pk: int):
    return render(request, "intake/staff/detail.html", _detail_context(reachable_or_404(request, pk), request.user))


def _detail_context(service_request: ServiceRequest, user) -> dict:
    context = {
        "service_request": service_request, "events": service_request.events.all(), "files": service_request.attachments.all(),
        "stages": list(service_request.service.stages.all()), "time_left": time_left_class(service_request),
        "can_work": can_work_on(user=user, service_request=service_request), "can_assign": can_assign(user=user),
        "assignees": assignable_staff(user=user, service_request=service_request) if can_assign(user=user) else [],
    }
    for extra in _detail_extras:
        context.update(extra(service_request, user))
    return context


def refused(request, service_request: ServiceRequest, *, form: str, error, **extra):
    """A refused action comes back on the request's page, not a redirect: the form named
    `form` shows everything typed (kept[form]) and names any file to choose again."""
    messages.error(request, error if isinstance(error, str) else " ".join(error.messages))
    context = _detail_context(service_request, request.user)
    context.update(kept={form: request.POST, **extra}, choose_again={form: choose_again(request.FILES)})
    return render(request, "intake/staff/detail.html", context, status=400)


# Later parts (messages, inquiries, the letter) add their own context for the request's page.
_detail_extras: list = []


@require_POST
@staff_required(*WORKERS)
def assign(request, pk: int):
    service_request = reachable_or_404(request, pk)
    chosen = request.POST.get("assignee", "")
    assignee = get_object_or_404(User, pk=chosen) if chosen.isdigit() else None
    try:
        request_assign(service_request=service_request, actor=request.user, assignee=assignee)
    except PermissionDenied:
        raise
    except ValidationError as error:
        return refused(request, service_request, form="assign", error=error)
    messages.success(request, "ارجاع ثبت شد.")
    return redirect("staff_requests:detail", pk=service_request.pk)


def _act(request, pk: int, action, success: str, *, form: str, **values):
    """Run one casework service on a reachable request; a refusal keeps what was typed."""
    service_request = reachable_or_404(request, pk)
    try:
        action(service_request=service_request, actor=request.user, **values)
    except ValidationError as error:
        return refused(request, service_request, form=form, error=error)
    messages.success(request, success)
    return redirect("staff_requests:detail", pk=service_request.pk)


@require_POST
@staff_required(*WORKERS)
def accept(request, pk: int):
    return _act(request, pk, request_accept, "درخواست پذیرفته شد.", form="accept", note=request.POST.get("note", "").strip())


@require_POST
@staff_required(*WORKERS)
def move(request, pk: int):
    service_request = reachable_or_404(request, pk)
    stage = get_object_or_404(WorkflowStage, pk=request.POST.get("stage") or 0, service_id=service_request.service_id)
    return _act(request, pk, request_move, "مرحله درخواست تغییر کرد.", form="move", to_stage=stage,
                note=request.POST.get("note", "").strip(), note_visible=request.POST.get("note_visible") == "1")


@require_POST
@staff_required(*WORKERS)
def ask(request, pk: int):
    service_request = reachable_or_404(request, pk)
    return _act(request, pk, request_ask_citizen, "درخواست برای متقاضی فرستاده شد.", form="ask",
                text=request.POST.get("text", ""), tracking_link=tracking_url(request.tenant, service_request.tracking_code))


def _inquiry_context(service_request, user):
    return inquiries_summary(service_request)


_detail_extras.append(_inquiry_context)


@require_POST
@staff_required(*WORKERS)
def inquiry_send_view(request, pk: int):
    sent_on, due_on = jalali_parse(request.POST.get("sent_on", "")), jalali_parse(request.POST.get("due_on", ""))
    if not (sent_on and due_on):
        return refused(request, reachable_or_404(request, pk), form="inquiry",
                       error="تاریخ ارسال و مهلت پاسخ را به تاریخ خورشیدی بنویسید، مانند ۱۴۰۳/۰۵/۰۱.")
    return _act(request, pk, inquiry_send, "استعلام ثبت شد.", form="inquiry", body=request.POST.get("body", ""), sent_on=sent_on, due_on=due_on,
                letter_text=request.POST.get("letter_text", ""), letter_file=request.FILES.get("letter_file"))


@require_POST
@staff_required(*WORKERS)
def inquiry_reply_view(request, pk: int, inquiry_id: int):
    service_request = reachable_or_404(request, pk)
    inquiry = get_object_or_404(service_request.inquiries, pk=inquiry_id)
    replied_on = jalali_parse(request.POST.get("replied_on", ""))
    try:
        if not replied_on:
            raise ValidationError("تاریخ پاسخ را به تاریخ خورشیدی بنویسید.", code=error_codes.ANSWER_DATE_INVALID)
        inquiry_reply_record(inquiry=inquiry, actor=request.user, replied_on=replied_on, reply_text=request.POST.get("reply_text", ""))
    except ValidationError as error:
        return refused(request, service_request, form="reply", error=error, reply_to=inquiry.pk)
    messages.success(request, "پاسخ استعلام ثبت شد.")
    return redirect("staff_requests:detail", pk=pk)
