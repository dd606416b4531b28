"""The demo's billing, as `make run` serves it: a tenant admin picks a plan, pays on the local
test Stripe's Checkout page with a test card and comes back to an active subscription.

The servers are the real ones (tests/billing_servers.py): gunicorn with the settings `make run`
gives it, and the local test Stripe (billing/localstripe_checkout.py: localstripe and the
Checkout stand-in) started with the same command scripts/run_all.py uses.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.billing_servers import local_billing
from tests.builders import STAFF_PASSWORD
from tests.clients import tenant_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# A click that navigates returns once the new page commits: every such click is followed by
# wait_for_load_state() before the page is read.

TENANTS = {
    # A fresh trial: Checkout keeps its days, the first charge is at its end.
    "delta": {"slug": "delta", "name": "شهرداری دلتا", "kind": "municipality", "province": "isfahan", "admin_email": "admin@delta.test"},
    # A trial ending tomorrow: too late to keep, Checkout charges at once.
    "epsilon": {"slug": "epsilon", "name": "دهیاری اپسیلون", "kind": "dehyari", "province": "isfahan", "admin_email": "admin@epsilon.test"},
}


@pytest.fixture(scope="module")
def demo_billing_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two committed trial tenants, the plans priced as run_all.py prices them, the local
    test Stripe and a web server configured for it. Plans are put back afterwards."""
    from tenants.models import Tenant

    def epsilon_ends_tomorrow():
        Tenant.objects.filter(slug="epsilon").update(trial_ends_at=timezone.now() + timedelta(days=1))

    with local_billing(TENANTS, django_db_blocker, tmp_path_factory.mktemp("localstripe"), prepare=epsilon_ends_tomorrow) as url:
        yield url


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
