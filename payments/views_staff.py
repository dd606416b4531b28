"""/staff/payments/ (tenant admins): the gateways and the payments they took."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required
from payments.forms import GatewayForm, gateway_initial
from payments.models import Gateway, Payment
from lib.jalali import jalali_format, jalali_parse
from lib.pdf import content_disposition
from payments.hooks import request_states
from payments.reports import daily_reconciliation_xlsx
from payments.services import gateway_save, payment_refund_decide

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

admin_only = staff_required(User.Role.TENANT_ADMIN)


@admin_only
def home(request, *, day_error: str = "", status: int = 200):
    payments = list(Payment.objects.select_related("gateway")[:100])
    states = request_states([p.wizard_token for p in payments])
    return render(request, "payments/staff/home.html", {
        "gateways": Gateway.objects.prefetch_related("fees"),
        "payments": [(p, states.get(p.wizard_token)) for p in payments],
        "day": request.GET.get("day") or jalali_format(timezone.localdate()), "day_error": day_error,
    }, status=status)


@admin_only
def daily_report(request):
    day = jalali_parse(request.GET.get("day"))
    if day is None:
        return home(request, day_error="تاریخ را به صورت سال/ماه/روز خورشیدی بنویسید، مانند ۱۴۰۵/۰۹/۱۰.", status=400)
    response = HttpResponse(daily_reconciliation_xlsx(day=day), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(f"payments-{day.isoformat()}.xlsx", inline=False)
    return response


@admin_only
def payment_detail(request, public_id, *, error=None, status: int = 200):
    payment = get_object_or_404(Payment.objects.select_related("gateway"), public_id=public_id)
    return render(request, "payments/staff/payment.html", {
        "payment": payment, "state": request_states([payment.wizard_token]).get(payment.wizard_token), "error": error,
        "typed": request.POST if error else {},
    }, status=status)


@admin_only
@require_POST
def payment_refund(request, public_id):
    payment = get_object_or_404(Payment, public_id=public_id)
    try:
        payment_refund_decide(payment=payment, actor=request.user.email, reason=request.POST.get("reason", ""),
                              reference=request.POST.get("reference", ""))
    except ValidationError as error:
        return payment_detail(request, public_id, error=" ".join(error.messages), status=400)
    messages.success(request, "بازپرداخت ثبت شد.")
    return redirect("payments_staff:payment", public_id=public_id)


@admin_only
def gateway_edit(request, gateway_id=None):
    gateway = get_object_or_404(Gateway, pk=gateway_id) if gateway_id else None
    form = GatewayForm(request.POST or None, initial=gateway_initial(gateway) if gateway else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            gateway = gateway_save(
                gateway=gateway, title=data["title"], provider=data["provider"], mode=data["mode"], credentials=form.credentials(),
                fees=data["fees"], collects_other_fees=data["collects_other_fees"], is_active=data["is_active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "درگاه ذخیره شد.")
            return redirect("payments_staff:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "payments/staff/gateway.html", {"form": form, "gateway": gateway}, status=status)
