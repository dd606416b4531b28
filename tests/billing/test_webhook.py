"""The Stripe webhook: on the platform domain only; verified; each event applied once; in
Stripe's order, whatever order it arrives in; two events of one second as Stripe (localstripe)
reports the state."""

import pytest
import json
import time

import stripe

from billing.models import BillingAccount, Invoice, StripeEvent
from tenants.models import Tenant, TenantEvent
from tests.stripe_events import WEBHOOK_PATH, invoice, make_event, post_event, subscribe_in_localstripe

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def _status(tenant):
    return Tenant.objects.get(pk=tenant.pk).status


def test_a_good_event_is_stored_and_applied(stripe_up, customer_a, tenant_a, public_client):
    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    response = post_event(public_client, event)
    assert response.status_code == 200
    stored = StripeEvent.objects.get(stripe_id=event["id"])
    assert stored.outcome == StripeEvent.Outcome.APPLIED and stored.tenant == tenant_a
    assert _status(tenant_a) == Tenant.Status.ACTIVE


def test_a_bad_signature_gets_400_and_changes_nothing(stripe_up, customer_a, tenant_a, public_client):
    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    assert post_event(public_client, event, secret="whsec_someone_else").status_code == 400
    assert post_event(public_client, event, signature="").status_code == 400
    assert post_event(public_client, event, signature="t=1,v1=deadbeef").status_code == 400
    # Signed correctly, then altered on the way.
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_mizban_test")
    tampered = payload.replace('"paid"', '"open"')
    assert public_client.post(WEBHOOK_PATH, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header).status_code == 400
    assert not StripeEvent.objects.exists()
    assert not Invoice.objects.exists()
    assert _status(tenant_a) == Tenant.Status.TRIAL


def test_an_old_signature_is_refused(stripe_up, customer_a, public_client):
    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_mizban_test", timestamp=int(time.time()) - 3600)
    response = public_client.post(WEBHOOK_PATH, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_signature_stamped_in_the_future_is_refused_and_changes_nothing(stripe_up, customer_a, tenant_a, public_client):
    def post_signed_at(event, timestamp):
        payload = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_mizban_test", timestamp=timestamp)
        return public_client.post(WEBHOOK_PATH, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)

    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    response = post_signed_at(event, int(time.time()) + 3600)
    assert response.status_code == 400 and response.content == b"bad signature"
    assert not StripeEvent.objects.exists() and not Invoice.objects.exists()
    assert _status(tenant_a) == Tenant.Status.TRIAL
    # A clock a minute ahead is within the tolerance.
    assert post_signed_at(event, int(time.time()) + 60).status_code == 200
    assert _status(tenant_a) == Tenant.Status.ACTIVE


def test_a_repeated_event_is_a_no_op(stripe_up, customer_a, tenant_a, public_client, mailoutbox, django_capture_on_commit_callbacks):
    event = make_event("invoice.payment_failed", invoice(customer_a, status="open"))
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(public_client, event)
    grace = BillingAccount.objects.get(tenant=tenant_a).grace_ends_at
    with django_capture_on_commit_callbacks(execute=True):
        second = post_event(public_client, event)
    assert first.status_code == second.status_code == 200
    assert "repeat" in second.content.decode()
    assert StripeEvent.objects.filter(stripe_id=event["id"]).count() == 1
    assert TenantEvent.objects.filter(tenant=tenant_a, action="billing").count() == 1
    assert len(mailoutbox) == 1
    assert BillingAccount.objects.get(tenant=tenant_a).grace_ends_at == grace


def test_events_out_of_order_do_not_move_the_subscription_back(stripe_up, customer_a, tenant_a, public_client):
    now = int(time.time())
    failed = make_event("invoice.payment_failed", invoice(customer_a, status="open", invoice_id="in_late"), created=now - 60)
    paid = make_event("invoice.paid", invoice(customer_a, status="paid", invoice_id="in_late"), created=now)
    assert post_event(public_client, paid).status_code == 200
    assert post_event(public_client, failed).status_code == 200  # Stripe's retry of an older delivery

    assert _status(tenant_a) == Tenant.Status.ACTIVE
    assert StripeEvent.objects.get(stripe_id=failed["id"]).outcome == StripeEvent.Outcome.STALE
    assert Invoice.objects.get(stripe_id="in_late").status == "paid"


def test_an_older_subscription_update_does_not_undo_a_newer_one(stripe_up, plans, customer_a, tenant_a, public_client):
    now = int(time.time())

    def subscription(price, status):
        return {"id": "sub_order", "object": "subscription", "customer": customer_a, "status": status,
                "items": {"object": "list", "data": [{"price": {"id": price}, "current_period_end": now + 86400 * 30}]}}

    newer = make_event("customer.subscription.updated", subscription(plans["standard"].stripe_price_yearly, "active"), created=now)
    older = make_event("customer.subscription.updated", subscription(plans["basic"].stripe_price_monthly, "past_due"), created=now - 5)
    post_event(public_client, newer)
    post_event(public_client, older)
    account = BillingAccount.objects.get(tenant=tenant_a)
    assert account.plan.code == "standard" and account.interval == "year" and account.subscription_status == "active"
    assert _status(tenant_a) == Tenant.Status.ACTIVE


def test_an_event_for_an_unknown_customer_is_stored_and_ignored(stripe_up, public_client):
    event = make_event("invoice.paid", invoice("cus_nobody", status="paid"))
    assert post_event(public_client, event).status_code == 200
    assert StripeEvent.objects.get(stripe_id=event["id"]).outcome == StripeEvent.Outcome.IGNORED


def test_the_webhook_exists_only_on_the_platform_domain(stripe_up, customer_a, client_a):
    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    assert post_event(client_a, event).status_code == 404
    assert not StripeEvent.objects.exists()


def test_without_an_endpoint_secret_every_event_is_refused(settings, customer_a, public_client):
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = make_event("invoice.paid", invoice(customer_a, status="paid"))
    assert post_event(public_client, event, secret="").status_code == 400


def _paid_subscription(stripe_client, plans, customer):
    """An active subscription in localstripe and its paid first invoice, as Stripe sends them."""
    subscription = subscribe_in_localstripe(stripe_client, customer, plans["basic"].stripe_price_monthly)
    paid = stripe_client.v1.invoices.retrieve(stripe_client.v1.subscriptions.retrieve(subscription).latest_invoice).to_dict()
    assert paid["status"] == "paid"
    return subscription, paid


def test_paid_then_failed_in_the_same_second_leaves_the_state_stripe_reports(stripe_up, plans, customer_a, tenant_a, public_client):
    subscription, paid = _paid_subscription(stripe_up, plans, customer_a)
    failed = {**paid, "status": "open", "amount_paid": 0}  # as an earlier failed attempt described the invoice
    now = int(time.time())
    assert post_event(public_client, make_event("invoice.paid", paid, created=now)).status_code == 200
    late = make_event("invoice.payment_failed", failed, created=now)
    assert post_event(public_client, late).status_code == 200

    assert _status(tenant_a) == Tenant.Status.ACTIVE  # localstripe: the subscription is active
    stored = StripeEvent.objects.get(stripe_id=late["id"])
    assert stored.outcome == StripeEvent.Outcome.APPLIED and stored.note == "same second; Stripe says subscription active"
    account = BillingAccount.objects.get(tenant=tenant_a)
    assert account.subscription_status == "active" and account.grace_ends_at is None
    assert Invoice.objects.get(stripe_id=paid["id"]).status == "paid"
    assert list(TenantEvent.objects.filter(tenant=tenant_a, action="billing").values_list("to_status", flat=True)) == ["active"]


def test_in_the_same_second_stripe_s_state_wins_over_the_arrival_order(stripe_up, plans, customer_a, tenant_a, public_client):
    """The subscription was cancelled at Stripe: an "active" update of the same second as the
    payment, arriving last, does not make the tenant active again."""
    subscription, paid = _paid_subscription(stripe_up, plans, customer_a)
    active = stripe_up.v1.subscriptions.retrieve(subscription).to_dict()
    stripe_up.v1.subscriptions.cancel(subscription)
    now = int(time.time())
    post_event(public_client, make_event("invoice.paid", paid, created=now))
    assert post_event(public_client, make_event("customer.subscription.updated", active, created=now)).status_code == 200

    assert _status(tenant_a) == Tenant.Status.PAST_DUE
    assert BillingAccount.objects.get(tenant=tenant_a).subscription_status == "canceled"


def test_in_the_same_second_with_stripe_unreachable_the_event_waits_for_stripe_s_retry(
    stripe_up, plans, customer_a, tenant_a, public_client, settings, localstripe_url
):
    subscription, paid = _paid_subscription(stripe_up, plans, customer_a)
    now = int(time.time())
    post_event(public_client, make_event("invoice.paid", paid, created=now))
    late = make_event("invoice.payment_failed", {**paid, "status": "open", "amount_paid": 0}, created=now)

    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nobody listens: Stripe unreachable
    response = post_event(public_client, late)
    assert response.status_code == 503 and response.content == b"Stripe unreachable; deliver again"
    assert not StripeEvent.objects.filter(stripe_id=late["id"]).exists()
    assert _status(tenant_a) == Tenant.Status.ACTIVE

    settings.STRIPE_API_BASE = localstripe_url  # Stripe delivers again once we answer
    assert post_event(public_client, late).status_code == 200
    assert StripeEvent.objects.get(stripe_id=late["id"]).outcome == StripeEvent.Outcome.APPLIED
    assert _status(tenant_a) == Tenant.Status.ACTIVE


def test_an_invoice_event_naming_no_subscription_is_applied_as_stripe_reports_the_invoice(
    stripe_up, plans, customer_a, tenant_a, public_client
):
    _, paid = _paid_subscription(stripe_up, plans, customer_a)
    unlinked = {key: value for key, value in paid.items() if key not in ("subscription", "parent")}
    now = int(time.time())
    post_event(public_client, make_event("invoice.paid", unlinked, created=now))
    late = make_event("invoice.payment_failed", {**unlinked, "status": "open", "amount_paid": 0}, created=now)
    assert post_event(public_client, late).status_code == 200

    assert StripeEvent.objects.get(stripe_id=late["id"]).note == "same second; Stripe says invoice paid"
    assert _status(tenant_a) == Tenant.Status.ACTIVE
