"""The local test Stripe (localstripe and its Checkout and portal stand-in, as `make run`
starts it) stopped under a running server: citizens' pages and submits do not notice, a tenant
admin's «مدیریت پرداخت» answers with a Persian «try again shortly» instead of a 500, and once
Stripe is back (its stored state kept) the waiting customer step runs once and the portal opens."""

from __future__ import annotations

import subprocess
import uuid

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from tests.builders import STAFF_PASSWORD
from tests.outages import Citizen, receipts_sent, wait_for
from tests.workers import ROOT, free_port

KAPPA = {"slug": "kappa", "name": "شهرداری کاپا", "kind": "municipality", "province": "isfahan", "admin_email": "admin@kappa.test"}


@pytest.fixture
def kappa(django_db_setup, django_db_blocker):
    """A committed tenant of this test's own (its billing account is what the test changes)."""
    from accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_draft_clean, tenant_onboard

    with django_db_blocker.unblock():
        tenant = Tenant.objects.filter(slug=KAPPA["slug"]).first() or tenant_onboard(draft=tenant_draft_clean(**KAPPA), actor="tests")
        with schema_context(tenant.schema_name):
            admin = User.objects.get(email=KAPPA["admin_email"])
            admin.set_password(STAFF_PASSWORD)
            admin.save()
        connection.set_schema_to_public()
    return tenant


class LocalStripe:
    """billing/localstripe_checkout.py on a fixed port, its state in a file that outlives it."""

    def __init__(self, folder, web_port: int, django_db_blocker):
        from billing import demo

        self.port = free_port()
        with django_db_blocker.unblock():
            self.command = demo.local_stripe_command(port=self.port, webhook_url=f"http://localhost:{web_port}/billing/stripe/webhook/",
                                                     store=folder / "stripe.pickle")
        self.env, self.secret, self.log, self.process = demo.local_stripe_env(port=self.port), demo.SECRET_KEY, folder / "stripe.log", None

    def start(self) -> "LocalStripe":
        self.process = subprocess.Popen(self.command, cwd=ROOT, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        wait_for(self._answers, what="the local Stripe to answer", log=self.log)
        return self

    def _answers(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/v1/plans", auth=(self.secret, ""), timeout=2).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)

    def customers(self, tenant_slug: str) -> list[dict]:
        found = requests.get(f"http://127.0.0.1:{self.port}/v1/customers", auth=(self.secret, ""), params={"limit": 100}, timeout=5).json()
        return [c for c in found["data"] if (c.get("metadata") or {}).get("tenant") == tenant_slug]


def test_stripe_down_and_back(make_stack, redis_box, sms_gateway, test_database_url, kappa, tmp_path, django_db_blocker):
    stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url, STRIPE_TIMEOUT_SECONDS="2")
    stripe = LocalStripe(tmp_path, stack.port, django_db_blocker).start()
    stack.env.update(stripe.env)
    try:
        stack.start()
        stripe.stop()

        citizen = Citizen(stack.url, "gamma.localhost")
        submitted = citizen.submit(str(uuid.uuid4()), "09131110006")
        assert submitted.status_code == 201, submitted.text[:300]
        wait_for(lambda: receipts_sent(sms_gateway, submitted.json()["tracking_code"]) == 1, what="the receipt sent")
        assert stack.healthz("gamma.localhost")[1]["status"] == "ok"  # Stripe is not the portal's business

        admin = Citizen(stack.url, "kappa.localhost")
        admin.sign_in(KAPPA["admin_email"], STAFF_PASSWORD)
        assert admin.get("/staff/billing/").status_code == 200
        refused = admin.post_form("/staff/billing/portal/", {})
        assert refused.status_code == 302 and refused.headers["Location"].endswith("/staff/billing/")
        page = admin.get("/staff/billing/")
        assert page.status_code == 200 and "چند دقیقه دیگر دوباره تلاش کنید" in page.text

        stripe.start()
        opened = admin.post_form("/staff/billing/portal/", {})
        assert opened.status_code == 302 and opened.headers["Location"].startswith(f"http://127.0.0.1:{stripe.port}/"), opened.headers
        assert admin.post_form("/staff/billing/portal/", {}).status_code == 302
        assert len(stripe.customers("kappa")) == 1  # the waiting step ran once, and only once
        assert stack.answered_500() == []
    finally:
        stripe.stop()
