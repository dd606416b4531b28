"""Staff work on a request: assignment and the moves through the service's workflow stages.
Every change leaves a RequestEvent (who, when, from, to, a note internal or visible)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import desk_calendar, working_days_add
from intake.models import Request, RequestEvent
from intake.staff_selectors import assignable_staff, can_assign, can_work_on


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update(of=("self",)).select_related("service", "current_stage").get(pk=request.pk)


def _actor(user) -> str:
    return user.email or str(user)


@transaction.atomic
def request_assign(*, request: Request, actor, assignee) -> Request:
    """Give the request to a clerk (or take it back: assignee None); the citizen sees nothing of it."""
    if not can_assign(user=actor) or not can_work_on(user=actor, request=request):
        raise PermissionDenied
    if assignee is not None and not assignable_staff(user=actor, request=request).filter(pk=assignee.pk).exists():
        raise ValidationError(_("این کارمند در دسترس شما نیست."))
    request = _locked(request)
    before = str(request.assigned_to) if request.assigned_to_id else "—"
    request.assigned_to = assignee
    request.save(update_fields=["assigned_to"])
    RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.ASSIGNED, visible_to_citizen=False,
        note=_("از %(before)s به %(after)s") % {"before": before, "after": str(assignee) if assignee else "—"}, actor=_actor(actor),
    )
    return request


def stage_due(stage, start=None):
    if stage is None:
        return None
    thursday, closures = desk_calendar()
    return working_days_add(start or timezone.localdate(), stage.target_days, thursday_is_working=thursday, closures=closures)


@transaction.atomic
def request_accept(*, request: Request, actor, note: str = "") -> Request:
    """The request is taken up: it enters its first stage's clock and, for a clerk, their hands."""
    if not can_work_on(user=actor, request=request):
        raise PermissionDenied
    request = _locked(request)
    if request.status != Request.Status.SUBMITTED:
        raise ValidationError(_("این درخواست پیش‌تر پذیرفته شده است."))
    request.status = Request.Status.IN_PROGRESS
    request.stage_due_date = stage_due(request.current_stage)
    if request.assigned_to_id is None and actor.role == actor.Role.CLERK:
        request.assigned_to = actor
    request.save(update_fields=["status", "stage_due_date", "assigned_to"])
    RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.ACCEPTED, note=note, actor=_actor(actor),
        to_stage=request.current_stage.name if request.current_stage else "",
    )
    return request


@transaction.atomic
def request_move(*, request: Request, actor, to_stage, note: str = "", note_visible: bool = False) -> Request:
    """Move the request to another stage of its service. The citizen always sees the move; the
    note stays internal unless staff chose to show it (a note meant for colleagues must not
    reach the citizen by a forgotten tick)."""
    if not can_work_on(user=actor, request=request):
        raise PermissionDenied
    request = _locked(request)
    if to_stage.service_id != request.service_id:
        raise ValidationError(_("این مرحله از گردش کار این خدمت نیست."))
    if request.status not in (Request.Status.SUBMITTED, Request.Status.IN_PROGRESS):
        raise ValidationError(_("در این وضعیت نمی‌توان مرحله را تغییر داد."))
    before = request.current_stage.name if request.current_stage else ""
    request.current_stage, request.status = to_stage, Request.Status.IN_PROGRESS
    request.stage_due_date = stage_due(to_stage)
    request.save(update_fields=["current_stage", "status", "stage_due_date"])
    RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.MOVED, data={"stage": to_stage.name},
        note=note if note_visible else "", actor=_actor(actor), from_stage=before, to_stage=to_stage.name,
    )
    if note and not note_visible:
        RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.NOTE, note=note,
                                    visible_to_citizen=False, actor=_actor(actor), to_stage=to_stage.name)
    return request
