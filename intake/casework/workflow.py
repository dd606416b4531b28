"""Staff work on a request: assignment and the moves through the service's workflow stages.
Every change leaves a RequestEvent (who, when, from, to, a note internal or visible)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import desk_calendar, working_days_add
from intake import error_codes
from intake.casework.selectors import assignable_staff, can_assign, can_work_on
from intake.models import RequestEvent, ServiceRequest


def _locked(service_request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update(of=("self",)).select_related("service", "current_stage").get(pk=service_request.pk)


def _actor(user) -> str:
    return user.email or str(user)


@transaction.atomic
def request_assign(*, service_request: ServiceRequest, actor, assignee) -> ServiceRequest:
    """Give the request to a clerk (or take it back: assignee None); the citizen sees nothing of it."""
    if not can_assign(user=actor) or not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    if assignee is not None and not assignable_staff(user=actor, service_request=service_request).filter(pk=assignee.pk).exists():
        raise ValidationError(_("این کارمند در دسترس شما نیست."), code=error_codes.STAFF_OUT_OF_REACH)
    service_request = _locked(service_request)
    before = str(service_request.assigned_to) if service_request.assigned_to_id else "—"
    service_request.assigned_to = assignee
    service_request.save(update_fields=["assigned_to"])
    RequestEvent.objects.create(
        request=service_request, kind=RequestEvent.Kind.ASSIGNED, visible_to_citizen=False,
        note=_("از %(before)s به %(after)s") % {"before": before, "after": str(assignee) if assignee else "—"}, actor=_actor(actor),
    )
    return service_request


def stage_due(stage, start=None):
    if stage is None:
        return None
    thursday, closures = desk_calendar()
    return working_days_add(start or timezone.localdate(), stage.target_days, thursday_is_working=thursday, closures=closures)


@transaction.atomic
def request_accept(*, service_request: ServiceRequest, actor, note: str = "") -> ServiceRequest:
    """The request is taken up: it enters its first stage's clock and, for a clerk, their hands."""
    if not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    service_request = _locked(service_request)
    if service_request.status != ServiceRequest.Status.SUBMITTED:
        raise ValidationError(_("این درخواست پیش‌تر پذیرفته شده است."), code=error_codes.ALREADY_ACCEPTED)
    service_request.status = ServiceRequest.Status.IN_PROGRESS
    service_request.stage_due_date = stage_due(service_request.current_stage)
    if service_request.assigned_to_id is None and actor.role == actor.Role.CLERK:
        service_request.assigned_to = actor
    service_request.save(update_fields=["status", "stage_due_date", "assigned_to"])
    RequestEvent.objects.create(
        request=service_request, kind=RequestEvent.Kind.ACCEPTED, note=note, actor=_actor(actor),
        to_stage=service_request.current_stage.name if service_request.current_stage else "",
    )
    return service_request


@transaction.atomic
def request_move(*, service_request: ServiceRequest, actor, to_stage, note: str = "", note_visible: bool = False) -> ServiceRequest:
    """Move the request to another stage of its service. The citizen always sees the move; the
    note stays internal unless staff chose to show it (a note meant for colleagues must not
    reach the citizen by a forgotten tick)."""
    if not can_work_on(user=actor, service_request=service_request):
        raise PermissionDenied
    service_request = _locked(service_request)
    if to_stage.service_id != service_request.service_id:
        raise ValidationError(_("این مرحله از گردش کار این خدمت نیست."), code=error_codes.STAGE_NOT_IN_WORKFLOW)
    if service_request.status not in (ServiceRequest.Status.SUBMITTED, ServiceRequest.Status.IN_PROGRESS):
        raise ValidationError(_("در این وضعیت نمی‌توان مرحله را تغییر داد."), code=error_codes.STAGE_MOVE_NOT_ALLOWED)
    before = service_request.current_stage.name if service_request.current_stage else ""
    service_request.current_stage, service_request.status = to_stage, ServiceRequest.Status.IN_PROGRESS
    service_request.stage_due_date = stage_due(to_stage)
    service_request.save(update_fields=["current_stage", "status", "stage_due_date"])
    RequestEvent.objects.create(
        request=service_request, kind=RequestEvent.Kind.MOVED, data={"stage": to_stage.name},
        note=note if note_visible else "", actor=_actor(actor), from_stage=before, to_stage=to_stage.name,
    )
    if note and not note_visible:
        RequestEvent.objects.create(request=service_request, kind=RequestEvent.Kind.NOTE, note=note,
                                    visible_to_citizen=False, actor=_actor(actor), to_stage=to_stage.name)
    return service_request
