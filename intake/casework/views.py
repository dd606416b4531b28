"""The staff area's requests: the queue, a request's page and the actions on it. Views parse
and respond; reach is decided by intake.casework.selectors, changes by intake.casework.workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from catalog.models import WorkflowStage
from intake.access import reachable_or_404
from intake.casework.asking import request_ask_citizen
from intake.casework.forms import AcceptForm, AskForm, AssignForm, InquiryReplyForm, InquirySendForm, MoveForm, form_refusal
from intake.casework.inquiries import inquiries_summary, inquiry_reply_record, inquiry_send
from intake.casework.selectors import (
    QueueFilters, assignable_staff, can_assign, can_work_on, queue_filter_choices, queue_rows, time_left_class,
)
from intake.casework.workflow import request_accept, request_assign, request_move
from intake.citizen.receipts import tracking_url
from intake.models import ServiceRequest
from lib.forms_kept import choose_again
from payments.selectors import fee_states

WORKERS = (User.Role.UNIT_MANAGER, User.Role.CLERK)


@staff_required(*WORKERS, User.Role.DESK_OPERATOR)
def queue(request):
    filters = QueueFilters.from_query(request.GET)
    return render(request, "intake/staff/queue.html", {
        "rows": queue_rows(user=request.user, filters=filters), "filters": filters, "params": request.GET,
        **queue_filter_choices(), "statuses": ServiceRequest.Status.choices, "channels": ServiceRequest.Channel.choices,
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
    form = AssignForm(request.POST)
    form.is_valid()  # never refused: anything but a user's id takes the request back
    chosen = form.cleaned_data.get("assignee")
    assignee = get_object_or_404(User, pk=chosen) if chosen is not None else None
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
    form = AcceptForm(request.POST)
    form.is_valid()  # a note is optional and free
    return _act(request, pk, request_accept, "درخواست پذیرفته شد.", form="accept", note=form.cleaned_data.get("note", ""))


@require_POST
@staff_required(*WORKERS)
def move(request, pk: int):
    service_request = reachable_or_404(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    stage = get_object_or_404(WorkflowStage, pk=form.cleaned_data["stage"], service_id=service_request.service_id)
    return _act(request, pk, request_move, "مرحله درخواست تغییر کرد.", form="move", to_stage=stage,
                note=form.cleaned_data["note"], note_visible=form.cleaned_data["note_visible"])


@require_POST
@staff_required(*WORKERS)
def ask(request, pk: int):
    service_request = reachable_or_404(request, pk)
    form = AskForm(request.POST)
    form.is_valid()  # the text's rules are request_ask_citizen's
    return _act(request, pk, request_ask_citizen, "درخواست برای متقاضی فرستاده شد.", form="ask",
                text=form.cleaned_data.get("text", ""), tracking_link=tracking_url(request.tenant, service_request.tracking_code))


def _inquiry_context(service_request, user):
    return inquiries_summary(service_request)


_detail_extras.append(_inquiry_context)


def _fees_context(service_request, user):
    """Each fee of the service with its gateway and verified payment: what the clerk asks for after review."""
    return {"fee_states": fee_states(wizard_token=service_request.wizard_token, service=service_request.service, due=None)}


_detail_extras.append(_fees_context)


@require_POST
@staff_required(*WORKERS)
def inquiry_send_view(request, pk: int):
    form = InquirySendForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, reachable_or_404(request, pk), form="inquiry", error=form_refusal(form))
    return _act(request, pk, inquiry_send, "استعلام ثبت شد.", form="inquiry", **form.cleaned_data)


@require_POST
@staff_required(*WORKERS)
def inquiry_reply_view(request, pk: int, inquiry_id: int):
    service_request = reachable_or_404(request, pk)
    inquiry = get_object_or_404(service_request.inquiries, pk=inquiry_id)
    form = InquiryReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise form_refusal(form)
        inquiry_reply_record(inquiry=inquiry, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, service_request, form="reply", error=error, reply_to=inquiry.pk)
    messages.success(request, "پاسخ استعلام ثبت شد.")
    return redirect("staff_requests:detail", pk=pk)
