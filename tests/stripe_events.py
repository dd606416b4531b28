"""Stripe as the billing tests meet it: events and invoices shaped as Stripe sends them,
posted to the webhook with a valid signature, and a tenant's customer made in localstripe."""

from __future__ import annotations

import itertools
import json
import time
import uuid

import stripe

from billing.models import BillingAccount, BillingStep
from billing.services import billing_step_run

WEBHOOK_SECRET = "whsec_mizban_test"
SECRET_KEY = "sk_test_mizban"
WEBHOOK_PATH = "/billing/stripe/webhook/"

_ids = itertools.count(1)
_last_created = 0


def _next_created() -> int:
    """Now, or a second after the last event made: events a test sends one after another are
    Stripe's events of different seconds. Two of one second are ambiguous (the webhook asks
    Stripe for the state): the tests of that give `created` themselves."""
    global _last_created
    _last_created = max(int(time.time()), _last_created + 1)
    return _last_created


def customer_for(tenant) -> str:
    """Run the tenant's recorded customer step (as the worker would) and return the id."""
    step = BillingStep.objects.get(tenant=tenant, kind=BillingStep.Kind.CUSTOMER_CREATE)
    billing_step_run(step_id=step.pk)
    return BillingAccount.objects.get(tenant=tenant).stripe_customer_id


def make_event(type_: str, obj: dict, *, created: int | None = None, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_test_{uuid.uuid4().hex[:12]}_{next(_ids)}",
        "object": "event",
        "type": type_,
        "created": created or _next_created(),
        "livemode": False,
        "api_version": stripe.api_version,
        "data": {"object": obj},
    }


def invoice(customer: str, *, status: str, amount: int = 1500, subscription: str = "sub_test", invoice_id: str | None = None) -> dict:
    now = int(time.time())
    return {
        "id": invoice_id or f"in_test_{uuid.uuid4().hex[:10]}", "object": "invoice", "customer": customer,
        "status": status, "number": f"MZB-{next(_ids):04d}", "amount_due": amount,
        "amount_paid": amount if status == "paid" else 0, "currency": "eur", "created": now,
        "hosted_invoice_url": "https://invoice.stripe.test/i/1",
        "parent": {"type": "subscription_details", "subscription_details": {"subscription": subscription}},
        "status_transitions": {"paid_at": now if status == "paid" else None},
    }


def post_event(client, event: dict, *, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    """POST the event to the webhook as Stripe does: the raw JSON and its signature header."""
    payload = json.dumps(event)
    header = signature if signature is not None else stripe.WebhookSignature.generate_signature_header(payload, secret)
    return client.post(WEBHOOK_PATH, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def subscribe_in_localstripe(stripe_client, customer, price) -> str:
    """A paid, active subscription in localstripe (as Checkout makes one), noted on the account."""
    method = stripe_client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    stripe_client.v1.payment_methods.attach(method.id, params={"customer": customer})
    stripe_client.v1.customers.update(customer, params={"invoice_settings": {"default_payment_method": method.id}})
    subscription = stripe_client.v1.subscriptions.create(params={"customer": customer, "items": [{"plan": price}]})
    BillingAccount.objects.filter(stripe_customer_id=customer).update(stripe_subscription_id=subscription.id, subscription_status="active")
    return subscription.id
