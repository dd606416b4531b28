"""Billing fixtures: a real `localstripe` server on loopback, Stripe settings pointed at it,
plans whose Price IDs exist there, and Stripe events signed with the endpoint secret.

Only Stripe is faked, by localstripe (and, for the two endpoints localstripe lacks, Checkout
and the Customer Portal, by a local HTTP server answering as Stripe does).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
import uuid

import pytest
import requests
import stripe

from billing.models import BillingAccount, BillingStep, Plan
from billing.services import billing_step_run
from tests.conftest import ROOT, _free_port

WEBHOOK_SECRET = "whsec_mizban_test"
SECRET_KEY = "sk_test_mizban"
WEBHOOK_PATH = "/billing/stripe/webhook/"


@pytest.fixture(scope="session")
def localstripe_url():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/v1/customers", auth=(SECRET_KEY, ""), timeout=2)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        process.terminate()
        raise RuntimeError("localstripe did not start")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def stripe_up(settings, localstripe_url):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe_url}, max_network_retries=0)


@pytest.fixture
def stripe_down(settings):
    """Stripe configured, but its address is a loopback port nobody listens on."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"


@pytest.fixture
def plans(db, stripe_up):
    """The seeded plans, with monthly and yearly Prices that exist in localstripe."""
    suffix = uuid.uuid4().hex[:8]
    for plan in Plan.objects.filter(code__in=["basic", "standard"]):
        for interval, field in (("month", "stripe_price_monthly"), ("year", "stripe_price_yearly")):
            price = f"price_{plan.code}_{interval}_{suffix}"
            amount = 1500 if plan.code == "basic" else 4500
            stripe_up.v1.plans.create(params={
                "id": price, "amount": amount * (10 if interval == "year" else 1), "currency": "eur",
                "interval": interval, "product": {"name": plan.name},
            })
            setattr(plan, field, price)
        plan.monthly_amount, plan.yearly_amount = (1500, 15000) if plan.code == "basic" else (4500, 45000)
        plan.save()
    return {plan.code: plan for plan in Plan.objects.all()}


def customer_for(tenant) -> str:
    """Run the tenant's recorded customer step (as the worker would) and return the id."""
    step = BillingStep.objects.get(tenant=tenant, kind=BillingStep.Kind.CUSTOMER_CREATE)
    billing_step_run(step_id=step.pk)
    return BillingAccount.objects.get(tenant=tenant).stripe_customer_id


@pytest.fixture
def customer_a(stripe_up, tenant_a):
    return customer_for(tenant_a)


@pytest.fixture
def customer_b(stripe_up, tenant_b):
    return customer_for(tenant_b)


# --- Events, as Stripe would send them ---------------------------------------------------

_ids = itertools.count(1)


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
