"""Billing in the vendor console: every tenant's plan, status and last payment, the billing
steps still waiting for Stripe, and the plans."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.forms import PlanForm
from billing.models import BillingStep, Plan
from billing.selectors import billing_console_tenants, billing_steps_open
from billing.services import billing_step_run, plan_save
from tenants.console_views import vendor_required


@vendor_required
def overview(request):
    return render(
        request, "billing/console/overview.html", {"tenants": billing_console_tenants(), "steps": billing_steps_open()}
    )


@vendor_required
@require_POST
def step_retry(request, step_id):
    step = get_object_or_404(BillingStep, pk=step_id)
    step = billing_step_run(step_id=step.pk) or step
    if step.status == BillingStep.Status.DONE:
        messages.success(request, _("مرحله «%(kind)s» برای «%(tenant)s» انجام شد.") % {"kind": step.get_kind_display(), "tenant": step.tenant.name})
    else:
        messages.error(request, _("مرحله هنوز انجام نشد: %(error)s") % {"error": step.last_error or "—"})
    return redirect("billing_console:overview")


@vendor_required
def plan_list(request):
    return render(request, "billing/console/plans.html", {"plans": Plan.objects.all()})


@vendor_required
def plan_edit(request, plan_id=None):
    plan = get_object_or_404(Plan, pk=plan_id) if plan_id else Plan()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_save(plan=form.save(commit=False), trial_default=form.cleaned_data["trial_default"], actor=request.user.email)
        messages.success(request, _("طرح «%(name)s» ذخیره شد.") % {"name": plan.name})
        return redirect("billing_console:plans")
    return render(request, "billing/console/plan_form.html", {"form": form, "plan": plan})
