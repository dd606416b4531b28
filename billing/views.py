"""The billing page of a tenant's staff area, for its admins only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from billing.forms import PlanChoiceForm
from billing.selectors import tenant_billing
from billing.services import BillingUnavailable, checkout_session_start, portal_session_start

admins_only = staff_required(User.Role.TENANT_ADMIN)


@admins_only
def billing_home(request, *, form=None, status: int = 200):
    if request.GET.get("checkout") == "done":
        messages.success(request, _("پرداخت در Stripe انجام شد؛ وضعیت اشتراک پس از تأیید Stripe در همین صفحه به‌روز می‌شود."))
    return render(request, "billing/staff/home.html", {
        "billing": tenant_billing(tenant=request.tenant), "form": form or PlanChoiceForm(),
    }, status=status)


@admins_only
@require_POST
def billing_checkout(request):
    form = PlanChoiceForm(request.POST)
    # Refused: the billing page again (not a redirect) with the plan and interval still chosen.
    if not form.is_valid():
        messages.error(request, _("طرح و دوره پرداخت را انتخاب کنید."))
        return billing_home(request, form=form, status=400)
    home = request.build_absolute_uri(reverse("billing:home"))
    try:
        url = checkout_session_start(
            tenant=request.tenant, plan=form.cleaned_data["plan"], interval=form.cleaned_data["interval"],
            success_url=home + "?checkout=done", cancel_url=home,
        )
    except BillingUnavailable as error:
        messages.error(request, str(error))
        return billing_home(request, form=form, status=503)
    return redirect(url)


@admins_only
@require_POST
def billing_portal(request):
    try:
        url = portal_session_start(tenant=request.tenant, return_url=request.build_absolute_uri(reverse("billing:home")))
    except BillingUnavailable as error:
        messages.error(request, str(error))
        return redirect("billing:home")
    return redirect(url)
