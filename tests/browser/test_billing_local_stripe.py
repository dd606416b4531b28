"""The demo's billing, as `make run` serves it: a tenant admin picks a plan, pays on the local
test Stripe's Checkout page with a test card and comes back to an active subscription.

The servers are the real ones: gunicorn with the settings `make run` gives it, and the local
test Stripe (billing/localstripe_checkout.py: localstripe and the Checkout stand-in) started
with the same command scripts/run_all.py uses.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from billing import demo
from billing.models import Plan
from tests.builders import STAFF_PASSWORD
from tests.clients import tenant_url
from tests.workers import ROOT, database_url_for, free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# A click that navigates returns once the new page commits: every such click is followed by
# wait_for_load_state() before the page is read.

TENANTS = {
    # A fresh trial: Checkout keeps its days, the first charge is at its end.
    "delta": {"slug": "delta", "name": "شهرداری دلتا", "kind": "municipality", "province": "isfahan", "admin_email": "admin@delta.test"},
    # A trial ending tomorrow: too late to keep, Checkout charges at once.
    "epsilon": {"slug": "epsilon", "name": "دهیاری اپسیلون", "kind": "dehyari", "province": "isfahan", "admin_email": "admin@epsilon.test"},
}


def _wait_for(url: str, **kwargs) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=15, **kwargs)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="module")
def demo_billing_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two committed trial tenants, the plans priced as run_all.py prices them, the local
    test Stripe and a web server configured for it. Plans are put back afterwards."""
    from accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_draft_clean, tenant_onboard

    web_port, stripe_port = free_port(), free_port()
    with django_db_blocker.unblock():
        for spec in TENANTS.values():
            tenant = Tenant.objects.filter(slug=spec["slug"]).first() or tenant_onboard(draft=tenant_draft_clean(**spec), actor="tests")
            with schema_context(tenant.schema_name):
                admin = User.objects.get(email=spec["admin_email"])
                admin.set_password(STAFF_PASSWORD)
                admin.save()
        Tenant.objects.filter(slug="epsilon").update(trial_ends_at=timezone.now() + timedelta(days=1))
        saved_plans = list(Plan.objects.all())
        demo.demo_prices_attach()
        command = demo.local_stripe_command(
            port=stripe_port, webhook_url=f"http://localhost:{web_port}/billing/stripe/webhook/",
            store=tmp_path_factory.mktemp("localstripe") / "store.pickle",
        )
        connection.set_schema_to_public()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        PLATFORM_PORT=str(web_port), **demo.local_stripe_env(port=stripe_port),
    )
    log = open(ROOT / ".data" / f"test-server-{web_port}.log", "w") if (ROOT / ".data").exists() else subprocess.DEVNULL
    stripe_process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    # One worker: the test settings cache host -> tenant per process, and a second process
    # would keep the tenant's status from before the webhook for a minute.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{web_port}", "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    try:
        _wait_for(f"http://127.0.0.1:{stripe_port}/v1/plans", auth=(demo.SECRET_KEY, ""))
        _wait_for(f"http://localhost:{web_port}/healthz")
        yield f"http://localhost:{web_port}"
    finally:
        for process in (server, stripe_process):
            process.terminate()
            process.wait(10)
        with django_db_blocker.unblock():
            fields = ["stripe_price_monthly", "stripe_price_yearly", "monthly_amount", "yearly_amount", "currency"]
            Plan.objects.bulk_update(saved_plans, fields)


def _sign_in_to_billing(page, base: str, slug: str) -> None:
    page.goto(tenant_url(base, slug, "/accounts/login/?next=/staff/billing/"))
    page.get_by_label("پست الکترونیک").fill(TENANTS[slug]["admin_email"])
    page.get_by_label("گذرواژه", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="اشتراک و صورت‌حساب")).to_be_visible()


def _checkout(page) -> None:
    """From the billing page to the local Checkout page, for the standard plan, monthly."""
    expect(page.get_by_text("هنوز طرحی برای خرید تعریف نشده است")).to_have_count(0)
    page.locator("input[name=plan][value=standard]").check()
    page.get_by_label("دوره پرداخت").select_option("month")
    page.get_by_role("button", name="پرداخت در Stripe").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/checkout/cs_test_\w+/$"))


def _pay(page, number: str) -> None:
    page.get_by_label("شماره کارت").fill(number)
    page.get_by_label("ماه انقضا").fill("12")
    page.get_by_label("سال انقضا (میلادی)").fill("2030")
    page.get_by_label("کد امنیتی").fill("123")
    page.get_by_role("button", name="پرداخت و فعال‌سازی اشتراک").click()
    page.wait_for_load_state()


def test_a_trial_tenant_subscribes_through_the_local_checkout(demo_billing_server, phone_page):
    page = phone_page
    _sign_in_to_billing(page, demo_billing_server, "delta")
    expect(page.get_by_text(re.compile("ماهانه ۴۵[.٫]۰۰"))).to_be_visible()  # the demo plans have prices
    _checkout(page)

    # The local Stripe's page: Persian, right to left, says what it is; no English but "Stripe".
    assert page.locator("html").get_attribute("dir") == "rtl"
    expect(page.get_by_role("heading", name="پرداخت اشتراک در Stripe آزمایشی محلی")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("هیچ پولی جابه‌جا نمی‌شود")
    expect(page.locator("main")).to_contain_text("استاندارد — ۴۵٫۰۰ یورو ماهانه")
    expect(page.locator("main")).to_contain_text("مبلغی برداشت نمی‌شود")  # the trial's days are kept
    words = set(re.findall(r"[A-Za-z]+", page.locator("body").inner_text() + page.title()))
    assert words <= {"Stripe"}, words

    # A declined card: told in Persian at the card, everything typed kept.
    _pay(page, "4000000000000002")
    expect(page.get_by_role("alert")).to_have_text("کارت پذیرفته نشد؛ کارت دیگری را امتحان کنید.")
    expect(page.get_by_label("شماره کارت")).to_have_value("4000000000000002")
    expect(page.get_by_label("سال انقضا (میلادی)")).to_have_value("2030")

    local_stripe = page.url.split("/checkout/")[0]
    _pay(page, "4242 4242 4242 4242")
    expect(page).to_have_url(re.compile(r"/staff/billing/\?checkout=done$"))
    status = page.locator(".card").first
    expect(status).to_contain_text("استاندارد (ماهانه)")
    expect(status).to_contain_text("فعال؛ نخستین پرداخت در پایان دوره آزمایشی")
    expect(status).to_contain_text("دوره آزمایشی")  # the tenant itself stays on trial until that payment

    # A payment page the local Stripe forgot (it keeps them in memory) says so in Persian.
    page.goto(local_stripe + "/checkout/cs_test_forgotten/")
    expect(page.get_by_role("heading", name="این صفحه پرداخت دیگر معتبر نیست")).to_be_visible()


def test_a_trial_ending_tomorrow_is_charged_at_once_and_the_tenant_becomes_active(demo_billing_server, phone_page):
    page = phone_page
    _sign_in_to_billing(page, demo_billing_server, "epsilon")
    _checkout(page)
    expect(page.locator("main")).not_to_contain_text("مبلغی برداشت نمی‌شود")
    _pay(page, "4242424242424242")
    expect(page).to_have_url(re.compile(r"/staff/billing/\?checkout=done$"))
    status = page.locator(".card").first
    expect(status.locator(".badge.active")).to_have_text("فعال")
    expect(status).to_contain_text("استاندارد (ماهانه)")
    invoices = page.locator(".card").last
    expect(invoices).to_contain_text("پرداخت‌شده")
    expect(invoices).to_contain_text(re.compile("۴۵[.٫]۰۰"))
