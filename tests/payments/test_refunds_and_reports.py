"""Refunds after a rejection, the daily reconciliation workbook per gateway and per Sheba, and
the income per service on /staff/reports/."""

import io
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from intake.models import ServiceRequest
from lib.jalali import jalali_format
from payments.models import Payment
from tests.builders import letter_post, row_values
from tests.clients import Wizard, host_client

PERMIT = "10901010100"

REJECTION = {**letter_post(), "outcome": "rejected", "objection_route": "کمیسیون ماده ۱۰۰", "objection_days": "10"}


def _paid_and_submitted(wizard, payment_gateways):
    fee_id = wizard.client.get(wizard.url("pay/")).context["fee_states"][0].fee.pk
    wizard.client.post(wizard.url(f"pay/{fee_id}/"))
    with schema_context("t_alpha"):
        payment = Payment.objects.get(wizard_token=wizard.token)
    wizard.client.get(payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", ""))
    assert wizard.submit().status_code == 302
    with schema_context("t_alpha"):
        return Payment.objects.get(pk=payment.pk), ServiceRequest.objects.get(wizard_token=wizard.token)


def test_a_refund_is_decided_only_after_a_rejection_then_its_bank_reference_recorded(zarinpal_gateway, payment_gateways, wizard, admin_a):
    payment, service_request = _paid_and_submitted(wizard, payment_gateways)
    url = f"/staff/payments/p/{payment.public_id}/"
    page = admin_a.get(url).content.decode()
    assert "ثبت‌شده" in page and "بازپرداخت برای درخواستی ممکن است" in page
    before = row_values(payment)
    response = admin_a.post(url + "refund/", {"reason": "درخواست رد شد"})
    assert response.status_code == 400 and row_values(payment) == before

    admin_a.post(f"/staff/requests/{service_request.pk}/accept/")
    admin_a.post(f"/staff/requests/{service_request.pk}/letter/", REJECTION)
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.get(pk=service_request.pk).status == "rejected"
    response = admin_a.post(url + "refund/", {"reason": "", "reference": ""})
    assert response.status_code == 400 and "دلیل بازپرداخت" in response.content.decode()
    assert admin_a.post(url + "refund/", {"reason": "درخواست رد شد", "reference": ""}).status_code == 302
    page = admin_a.get(url).content.decode()
    assert "تصمیم بازپرداخت" in page and "درخواست رد شد" in page
    assert admin_a.post(url + "refund/", {"reference": "987654321"}).status_code == 302
    with schema_context("t_alpha"):
        refunded = Payment.objects.get(pk=payment.pk)
    assert refunded.refund_decided_by == "admin@alpha.test" and refunded.refund_reference == "987654321" and refunded.refunded_at
    assert "۹۸۷۶۵۴۳۲۱" in admin_a.get(url).content.decode()


def test_the_daily_workbook_sums_per_gateway_and_per_sheba(zarinpal_gateway, payment_gateways, wizard, admin_a):
    payment, _request = _paid_and_submitted(wizard, payment_gateways)
    response = admin_a.get("/staff/payments/daily.xlsx", {"day": jalali_format(timezone.localdate())})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    gateways, shebas, rows = book.worksheets
    header = [c.value for c in gateways[2]]
    line = [c.value for c in gateways[3]]
    assert line[0] == "درگاه شهرداری" and line[header.index("پرداخت و تاییدشده — مبلغ (ریال)")] == 25_000_000
    assert [c.value for c in shebas[2]][0] == payment.sheba
    assert [c.value for c in rows[2]][3] == 25_000_000

    response = admin_a.get("/staff/payments/daily.xlsx", {"day": "۱۴۰۵/۱۳/۴۰"})
    assert response.status_code == 400 and "۱۴۰۵/۱۳/۴۰" in response.content.decode()


def test_income_per_service_counts_live_payments_only(zarinpal_gateway, payment_gateways, wizard, admin_a, tenant_a):
    _paid_and_submitted(wizard, payment_gateways)
    assert "پرداختی از درگاه‌های واقعی ثبت نشده است" in admin_a.get("/staff/reports/").content.decode()  # a test-mode gateway
    with schema_context("t_alpha"):
        fee_ids = [fee.pk for fee in zarinpal_gateway.fees.all()]
    response = admin_a.post(f"/staff/payments/gateways/{zarinpal_gateway.pk}/", {
        "title": "درگاه شهرداری", "provider": "zarinpal", "mode": "live", "fees": fee_ids, "is_active": "on"})
    assert response.status_code == 302
    _paid_and_submitted(Wizard(host_client("alpha.localhost"), national_id=PERMIT).start().fill(files=()), payment_gateways)
    today = jalali_format(timezone.localdate() - timedelta(days=1)), jalali_format(timezone.localdate() + timedelta(days=1))
    page = admin_a.get("/staff/reports/", {"from": today[0], "to": today[1]}).content.decode()
    assert "درآمد هزینه‌های خدمات" in page and "۲۵٬۰۰۰٬۰۰۰" in page
