"""The in-person desk's page: choose unit and service, tick the citizen's consent, then the
citizen's own wizard (owned by the operator's session) up to the printable receipt."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.models import User
from accounts.permissions import staff_required
from catalog.models import Service, Unit
from intake.access import reachable_or_404, wizard_remember
from intake.casework.desk import desk_draft_start
from intake.casework.forms import DeskChooseForm
from intake.citizen.receipts import receipt_response


@staff_required(User.Role.DESK_OPERATOR)
def desk(request):
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    form = DeskChooseForm(request.POST or None, unit=unit, initial={"unit": unit} if unit else {})
    if request.method == "POST" and "choose" in request.POST and form.is_valid():
        try:
            draft = desk_draft_start(operator=request.user, service=form.cleaned_data["service"],
                                     unit=form.cleaned_data["unit"], consent=form.cleaned_data["consent"])
        except ValidationError as error:
            form.add_error("consent", error)
        else:
            return redirect("intake:step", slot=wizard_remember(request, draft), step=1)
    chosen = form["service"].value()
    service = Service.objects.filter(national_id=chosen).first() if chosen else None
    return render(request, "intake/staff/desk.html", {"form": form, "service": service})


@staff_required(User.Role.DESK_OPERATOR, User.Role.UNIT_MANAGER, User.Role.CLERK)
def receipt_download(request, pk: int):
    """The receipt printed again from the request's page (within reach)."""
    service_request = reachable_or_404(request, pk)
    return receipt_response(service_request=service_request, tenant=request.tenant)
