"""The local test Stripe of `make run` (development only, never with STRIPE_SECRET_KEY set):
how scripts/run_all.py starts it, the settings the web, worker and beat get, and the demo
plans' Prices there.

The Prices have fixed ids (`price_local_<plan>_<interval>`): the local Stripe creates them
at every start if missing, and `demo_prices_attach` writes them on the plans in our database
(`Plan.stripe_price_monthly` / `stripe_price_yearly`), never over a Price ID the vendor set.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.db import transaction

from billing.models import BillingStep, Plan
from billing.tasks import billing_step_run_task

SECRET_KEY = "sk_test_local_mizban"  # the local Stripe refuses to start beside any other
WEBHOOK_SECRET = "whsec_local_mizban"
DEFAULT_PORT = 8420
LOCAL_PRICE_PREFIX = "price_local_"
# Plan code -> (monthly, yearly) in euro cents.
DEMO_PRICES = {"basic": (1500, 15000), "standard": (4500, 45000), "plus": (9900, 99000)}


def local_price_id(code: str, interval: str) -> str:
    return f"{LOCAL_PRICE_PREFIX}{code}_{interval}"


def local_stripe_wanted() -> bool:
    """No key and not production: `make run` uses the local test Stripe."""
    return not settings.STRIPE_SECRET_KEY and not settings.PRODUCTION


def local_stripe_command(*, port: int, webhook_url: str, store: Path) -> list[str]:
    names = dict(Plan.objects.values_list("code", "name"))
    prices = [
        {"id": local_price_id(code, interval), "product": names.get(code, code), "amount": amount, "currency": "eur", "interval": interval}
        for code, amounts in DEMO_PRICES.items() if code in names
        for interval, amount in zip(("month", "year"), amounts)
    ]
    return [
        sys.executable, "-m", "billing.localstripe_checkout", "--port", str(port), "--webhook-url", webhook_url,
        "--webhook-secret", WEBHOOK_SECRET, "--store", str(store), "--prices", json.dumps(prices, ensure_ascii=False),
    ]


def local_stripe_env(*, port: int) -> dict[str, str]:
    """What the web, worker and beat need to talk to it."""
    return {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": f"http://127.0.0.1:{port}"}


@transaction.atomic
def demo_prices_attach() -> list[Plan]:
    """Give the seeded plans the local Prices (and their amounts, for display). Safe to run
    at every start; a plan whose Price ID the vendor set to something else is left alone."""
    changed = []
    for plan in Plan.objects.select_for_update().filter(code__in=DEMO_PRICES):
        monthly, yearly = DEMO_PRICES[plan.code]
        fields = {
            "stripe_price_monthly": local_price_id(plan.code, "month"), "stripe_price_yearly": local_price_id(plan.code, "year"),
            "monthly_amount": monthly, "yearly_amount": yearly, "currency": "eur",
        }
        ids = (plan.stripe_price_monthly, plan.stripe_price_yearly)
        if any(price and not price.startswith(LOCAL_PRICE_PREFIX) for price in ids):
            continue
        if any(getattr(plan, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(plan, name, value)
            plan.save(update_fields=list(fields))
            changed.append(plan)
    return changed


def waiting_steps_queue(*, countdown: int = 15) -> int:
    """Queue the billing steps that waited for a key (the demo tenants' customers), a little
    after start so the local Stripe is listening; without it they wait for the beat task."""
    import logging

    ids = list(BillingStep.objects.exclude(status=BillingStep.Status.DONE).values_list("pk", flat=True))
    try:
        for step_id in ids:
            billing_step_run_task.apply_async(kwargs={"step_id": step_id}, countdown=countdown, retry=False)
    except Exception as error:  # kombu raises several kinds for an unreachable broker
        logging.getLogger(__name__).warning("Broker unreachable (%s); billing steps wait for the beat task.", error)
        return 0
    return len(ids)
