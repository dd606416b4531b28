"""Paying a service's fees: the wizard's payment step (each fee due at submit, its purpose and
the total in Rial and Toman; one payment per fee at its gateway; the final submit once every
fee collected online is paid), and the fees due after review, paid from the granted tracking
page once staff ask the citizen for them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.models import FeeDue
from intake.access import granted_or_404, wizard_own_or_404
from intake.citizen.services import REQUIRED_STEPS
from intake.citizen.views_wizard import STEP_TITLES
from intake.models import ServiceRequest
from payments.selectors import fee_states, payment_of_wizard, totals
from payments.services import payment_start


def _draft_ready(request, slot):
    draft = wizard_own_or_404(request, slot)
    if ServiceRequest.objects.filter(wizard_token=draft.token).exists():
        return draft, redirect("intake:receipt", slot=slot)
    if any(step not in draft.data for step in REQUIRED_STEPS):
        return draft, redirect("intake:step", slot=slot, step=1)
    return draft, None


def pay(request, slot):
    draft, elsewhere = _draft_ready(request, slot)
    if elsewhere:
        return elsewhere
    states = fee_states(wizard_token=draft.token, service=draft.service)
    last = _last_payment(request, draft.token)
    return render(request, "intake/step_payment.html", {
        "draft": draft, "service": draft.service, "fee_states": states, "totals": totals(states), "last": last,
        "all_paid": all(state.paid or not state.online for state in states), "step": 6,
        "steps": list(zip(range(1, 7), STEP_TITLES)), "slot": slot,
    })


def _last_payment(request, wizard_token):
    """The payment the gateway just sent the citizen back from (?payment=), if it is this request's."""
    if not request.GET.get("payment", "").replace("-", "").isalnum():
        return None
    try:
        return payment_of_wizard(wizard_token=wizard_token, public_id=request.GET["payment"])
    except ValidationError:
        return None


def _redirect_to_gateway(request, *, wizard_token, fee, mobile: str, return_path: str, back_to):
    try:
        _payment, url = payment_start(
            wizard_token=wizard_token, fee=fee, mobile=mobile, return_path=return_path,
            callback_url_for=lambda p: request.build_absolute_uri(reverse("payments:callback", kwargs={"public_id": p.public_id})),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_to
    return redirect(url)


def review_fees_context(request, service_request: ServiceRequest) -> dict:
    """Fees due after review, on the granted tracking page: payable once staff ask the citizen
    (the request waits on the citizen), as they ask for a document."""
    states = [s for s in fee_states(wizard_token=service_request.wizard_token, service=service_request.service, due=FeeDue.REVIEW) if s.online]
    return {
        "review_fees": states, "review_totals": totals(states), "last": _last_payment(request, service_request.wizard_token),
        "review_fees_payable": service_request.status == ServiceRequest.Status.WAITING_CITIZEN,
    }


@require_POST
def track_pay_start(request, pk, fee_id):
    service_request = granted_or_404(request, pk)
    fee = service_request.service.fees.filter(pk=fee_id, due=FeeDue.REVIEW).first()
    if fee is None:
        raise Http404
    back = redirect("intake:track_detail_pk", pk=pk)
    if service_request.status != ServiceRequest.Status.WAITING_CITIZEN:
        messages.error(request, "این هزینه هنگامی پرداخت می‌شود که کارشناس پس از بررسی درخواست، پرداخت آن را بخواهد.")
        return back
    return _redirect_to_gateway(request, wizard_token=service_request.wizard_token, fee=fee, mobile=service_request.mobile,
                                return_path=reverse("intake:track_detail_pk", kwargs={"pk": pk}), back_to=back)


@require_POST
def pay_start(request, slot, fee_id):
    draft, elsewhere = _draft_ready(request, slot)
    if elsewhere:
        return elsewhere
    fee = draft.service.fees.filter(pk=fee_id, due=FeeDue.SUBMIT).first()
    if fee is None:
        raise Http404
    return _redirect_to_gateway(request, wizard_token=draft.token, fee=fee, mobile=draft.data["applicant"].get("mobile", ""),
                                return_path=reverse("intake:pay", kwargs={"slot": slot}), back_to=redirect("intake:pay", slot=slot))
