"""Paying through SEP (Saman's token gateway): the POSTed callback, checked against our order
id, terminal and amount, then VerifyTransaction; reversals for what must not be kept."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from payments.models import Payment
from payments.services import payments_reconcile


def _start(wizard):
    fee_id = wizard.client.get(wizard.url("pay/")).context["fee_states"][0].fee.pk
    response = wizard.client.post(wizard.url(f"pay/{fee_id}/"))
    with schema_context("t_alpha"):
        payment = Payment.objects.get(wizard_token=wizard.token, status="pending")
    assert response["Location"].endswith(f"/OnlinePG/SendToken?token={payment.authority}")
    return payment


def _status(payment):
    with schema_context("t_alpha"):
        return Payment.objects.get(pk=payment.pk)


def _post_back(wizard, url, form):
    return wizard.client.post(url.replace("http://alpha.localhost", ""), form)


def test_a_sep_payment_is_verified_and_its_rrn_is_the_reference(sep_gateway, payment_gateways, wizard):
    payment = _start(wizard)
    assert payment_gateways.sep[payment.authority]["resnum"] == payment.order_id
    url, form = payment_gateways.sep_pay(payment.authority)
    assert _post_back(wizard, url, form).status_code == 302  # a cross-site POST: no CSRF token, no session
    paid = _status(payment)
    assert paid.status == "paid" and paid.reference == form["RRN"] and paid.ref_num == form["RefNum"]
    assert payment_gateways.sep[payment.authority]["status"] == "VERIFIED"

    _post_back(wizard, url, form)  # replayed
    assert _status(payment).history == paid.history
    assert wizard.submit().status_code == 302


def test_cancelled_on_sep(sep_gateway, payment_gateways, wizard):
    payment = _start(wizard)
    url, form = payment_gateways.sep_pay(payment.authority, cancel=True)
    _post_back(wizard, url, form)
    assert _status(payment).status == "cancelled"


def test_a_callback_with_another_order_id_or_terminal_changes_nothing(sep_gateway, payment_gateways, wizard):
    payment = _start(wizard)
    url, form = payment_gateways.sep_pay(payment.authority)
    _post_back(wizard, url, {**form, "ResNum": "0" * 32})
    _post_back(wizard, url, {**form, "TerminalId": "11111111", "MID": "11111111"})
    assert _status(payment).status == "pending"
    assert payment_gateways.sep[payment.authority]["status"] == "PAID"  # never verified


def test_a_charged_amount_that_is_not_the_fee_is_reversed(sep_gateway, payment_gateways, wizard):
    payment_gateways.paid_amount = 10_000
    payment = _start(wizard)
    url, form = payment_gateways.sep_pay(payment.authority)
    _post_back(wizard, url, form)
    assert _status(payment).status == "failed"
    assert payment_gateways.sep[payment.authority]["status"] == "REVERSED"


def test_a_callback_that_never_comes_is_closed_after_seps_window(sep_gateway, payment_gateways, wizard):
    payment = _start(wizard)
    payment_gateways.sep_pay(payment.authority)  # SEP reverses it itself after 30 minutes unverified
    with schema_context("t_alpha"):
        assert payments_reconcile(now=timezone.now() + timedelta(minutes=10)) == 0
        assert payments_reconcile(now=timezone.now() + timedelta(minutes=40)) == 1
    assert _status(payment).status == "failed"


def test_a_verify_that_timed_out_is_finished_by_the_reconciliation(sep_gateway, payment_gateways, wizard, settings):
    settings.PAYMENTS_HTTP_TIMEOUT = 0.5
    payment = _start(wizard)
    url, form = payment_gateways.sep_pay(payment.authority)
    payment_gateways.hang = True
    _post_back(wizard, url, form)
    assert _status(payment).status == "pending" and _status(payment).ref_num == form["RefNum"]
    payment_gateways.hang = False
    payment_gateways.release.set()
    with schema_context("t_alpha"):
        assert payments_reconcile(now=timezone.now() + timedelta(minutes=5)) == 1
    assert _status(payment).status == "paid"
