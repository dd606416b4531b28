"""Billing fixtures: a real `localstripe` server on loopback, Stripe settings pointed at it,
plans whose Price IDs exist there, and the session tenants' customers there.

Only Stripe is faked, by localstripe (and, for the two endpoints localstripe lacks, Checkout
and the Customer Portal, by a local HTTP server answering as Stripe does).
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
import requests
import stripe

from billing.models import Plan
from tests.stripe_events import SECRET_KEY, WEBHOOK_SECRET, customer_for
from tests.workers import ROOT, free_port


@pytest.fixture(scope="session")
def localstripe_url():
    port = free_port()
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
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"


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


@pytest.fixture
def customer_a(stripe_up, tenant_a):
    return customer_for(tenant_a)


@pytest.fixture
def customer_b(stripe_up, tenant_b):
    return customer_for(tenant_b)
