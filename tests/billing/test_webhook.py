"""The Stripe webhook: on the platform domain only; verified; each event applied once; in
Stripe's order, whatever order it arrives in."""

import json
import time

import stripe

from billing.models import BillingAccount, Invoice, StripeEvent
from tenants.models import Tenant, TenantEvent
from tests.stripe_events import WEBHOOK_PATH, invoice, make_event, post_event


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
