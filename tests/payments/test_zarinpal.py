"""Paying a fee through Zarinpal (REST v4) in the wizard: the pending row before the redirect,
the verify before anything is paid, and every way it goes wrong."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from payments.models import Payment
from payments.services import payments_reconcile


def _pay_start(wizard):
    response = wizard.client.get(wizard.url("pay/"))
    assert response.status_code == 200
    fee_id = response.context["fee_states"][0].fee.pk
    response = wizard.client.post(wizard.url(f"pay/{fee_id}/"))
    assert response.status_code == 302
    with schema_context("t_alpha"):
        payment = Payment.objects.get(wizard_token=wizard.token)
    return payment, response["Location"]


def _payment(wizard):
    with schema_context("t_alpha"):
        return Payment.objects.get(wizard_token=wizard.token)


def test_a_paid_fee_is_verified_then_the_request_is_submitted_with_its_reference(zarinpal_gateway, payment_gateways, wizard):
    review = wizard.client.get(wizard.url("step/6/")).content.decode()
    assert "پرداخت هزینه‌ها و ثبت نهایی" in review and "ثبت نهایی درخواست</button>" not in review
    page = wizard.client.get(wizard.url("pay/")).content.decode()
    assert "۲۵٬۰۰۰٬۰۰۰" in page and "۲٬۵۰۰٬۰۰۰" in page and "هزینه کارشناسی و صدور" in page  # Rial, Toman, purpose

    payment, gateway_url = _pay_start(wizard)
    assert payment.status == "pending" and payment.amount_rial == 25_000_000  # recorded before the redirect
    assert gateway_url == f"{payment_gateways.url}/pg/StartPay/{payment.authority}"
    assert payment_gateways.zarinpal[payment.authority]["amount"] == 25_000_000  # Rial, currency IRR

    back = payment_gateways.zarinpal_pay(payment.authority)
    response = wizard.client.get(back.replace("http://alpha.localhost", ""))
    assert response.status_code == 302 and response["Location"].startswith(wizard.url("pay/"))
    payment = _payment(wizard)
    assert payment.status == "paid" and payment.reference and payment.paid_at
    assert any(path.endswith("verify.json") for path, _body in payment_gateways.calls)
    page = wizard.client.get(response["Location"]).content.decode()
    assert "تایید شد" in page and "ثبت نهایی درخواست" in page

    assert wizard.submit().status_code == 302
    receipt = wizard.client.get(wizard.url("receipt/")).content.decode()
    assert to_persian_digits(payment.reference) in receipt and "۲۵٬۰۰۰٬۰۰۰" in receipt


def test_the_request_is_never_submitted_unpaid(zarinpal_gateway, wizard):
    response = wizard.submit()
    assert response.status_code == 302 and response["Location"].endswith("/pay/")
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.filter(wizard_token=wizard.token).exists()


def test_a_declined_card_and_a_cancelled_payment_record_nothing_paid(zarinpal_gateway, payment_gateways, wizard):
    payment_gateways.decline = True
    payment, _url = _pay_start(wizard)
    wizard.client.get(payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", ""))
    assert _payment(wizard).status == "failed"
    payment_gateways.decline = False

    fee_id = payment.fee_id
    wizard.client.post(wizard.url(f"pay/{fee_id}/"))
    with schema_context("t_alpha"):
        second = Payment.objects.filter(wizard_token=wizard.token, status="pending").get()
    response = wizard.client.get(payment_gateways.zarinpal_pay(second.authority, cancel=True).replace("http://alpha.localhost", ""), follow=True)
    assert "انجام نشد" in response.content.decode()
    with schema_context("t_alpha"):
        assert not Payment.objects.filter(wizard_token=wizard.token, status="paid").exists()
    assert wizard.submit()["Location"].endswith("/pay/")


def test_a_replayed_callback_is_a_no_op_and_a_second_payment_of_a_paid_fee_is_reversed(zarinpal_gateway, payment_gateways, wizard):
    payment, _url = _pay_start(wizard)
    back = payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", "")
    wizard.client.get(back)
    paid = _payment(wizard)
    verifies = sum(1 for path, _b in payment_gateways.calls if path.endswith("verify.json"))
    wizard.client.get(back)  # the same callback again
    assert _payment(wizard).paid_at == paid.paid_at and _payment(wizard).history == paid.history
    assert sum(1 for path, _b in payment_gateways.calls if path.endswith("verify.json")) == verifies

    response = wizard.client.post(wizard.url(f"pay/{paid.fee_id}/"), follow=True)
    assert "پیش‌تر پرداخت شده" in response.content.decode()


def test_a_forged_callback_changes_nothing(zarinpal_gateway, payment_gateways, wizard):
    payment, _url = _pay_start(wizard)
    response = wizard.client.get(f"/payments/callback/{payment.public_id}/", {"Authority": "A" + "9" * 35, "Status": "OK"})
    assert response.status_code == 302
    assert _payment(wizard).status == "pending"


def test_a_tampered_amount_is_refused_by_the_verify(zarinpal_gateway, payment_gateways, wizard):
    payment_gateways.paid_amount = 1_000  # the bank charged another amount than we asked
    payment, _url = _pay_start(wizard)
    wizard.client.get(payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", ""))
    assert _payment(wizard).status == "failed"


def test_a_lost_callback_is_found_by_the_reconciliation(zarinpal_gateway, payment_gateways, wizard):
    payment, _url = _pay_start(wizard)
    payment_gateways.zarinpal_pay(payment.authority)  # paid; the browser was closed before coming back
    assert payments_reconcile_in_alpha(timezone.now()) == 0  # too recent: the citizen may still come back
    assert payments_reconcile_in_alpha(timezone.now() + timedelta(minutes=5)) == 1
    payment = _payment(wizard)
    assert payment.status == "paid" and payment.reference


def test_a_verify_that_times_out_stays_pending_until_the_reconciliation(zarinpal_gateway, payment_gateways, wizard, settings):
    settings.PAYMENTS_HTTP_TIMEOUT = 0.5
    payment, _url = _pay_start(wizard)
    payment_gateways.hang = True
    response = wizard.client.get(payment_gateways.zarinpal_pay(payment.authority).replace("http://alpha.localhost", ""), follow=True)
    assert _payment(wizard).status == "pending"
    assert "هنوز از بانک تایید نشده" in response.content.decode()
    payment_gateways.hang = False
    payment_gateways.release.set()
    assert payments_reconcile_in_alpha(timezone.now() + timedelta(minutes=5)) == 1
    assert _payment(wizard).status == "paid"


def test_an_unpaid_payment_past_the_window_is_closed(zarinpal_gateway, payment_gateways, wizard):
    payment, _url = _pay_start(wizard)  # the citizen never paid nor came back
    assert payments_reconcile_in_alpha(timezone.now() + timedelta(minutes=5)) == 0
    assert _payment(wizard).status == "pending"  # IN_BANK: still at the bank
    assert payments_reconcile_in_alpha(timezone.now() + timedelta(minutes=40)) == 1
    assert _payment(wizard).status == "failed"


def payments_reconcile_in_alpha(now):
    with schema_context("t_alpha"):
        return payments_reconcile(now=now)
