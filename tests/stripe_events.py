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
        "created": created or int(time.time()),
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
