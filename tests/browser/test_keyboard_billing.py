"""The tenant admin's billing with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows and
typing; no click): the plan chosen with the arrows in its radio group, the local test Stripe's
Checkout page filled and a refused card corrected, back to an active subscription, then the
subscription's page at Stripe and back. Every element focus lands on shows a visible ring, the
local Checkout page's included (it is ours: billing/localstripe_checkout.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.billing_servers import local_billing
from tests.builders import STAFF_PASSWORD
from tests.clients import tenant_url
from tests.keyboard import Keyboard

pytestmark = pytest.mark.browser

# A fresh trial of its own: the other billing tests' tenants have subscribed by then.
ZETA = {"slug": "zeta", "name": "شهرداری زتا", "kind": "municipality", "province": "isfahan", "admin_email": "admin@zeta.test"}


@pytest.fixture(scope="module")
def zeta_billing(django_db_setup, django_db_blocker, tmp_path_factory):
    with local_billing({"zeta": ZETA}, django_db_blocker, tmp_path_factory.mktemp("localstripe")) as url:
        yield url


def test_billing_by_keyboard(zeta_billing, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    keys = Keyboard(context.new_page())
    page = keys.page
    try:
        page.goto(tenant_url(zeta_billing, "zeta", "/accounts/login/?next=/staff/"))
        keys.type(page.get_by_label("پست الکترونیک"), ZETA["admin_email"])
        keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
        keys.go(page.get_by_role("button", name="ورود"))
        keys.go(page.get_by_role("link", name=re.compile("^اشتراک و صورت‌حساب")).first)
        expect(page.get_by_role("heading", name="اشتراک و صورت‌حساب")).to_be_visible()

        # The plan: Tab enters the radio group at the checked plan, the arrows move to "standard".
        standard = page.locator("input[name=plan][value=standard]")
        keys.tab_to(page.locator("input[name=plan]:checked"))
        for _ in range(page.locator("input[name=plan]").count()):
            if standard.is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(standard).to_be_checked()
        expect(standard).to_be_focused()
        interval = page.get_by_label("دوره پرداخت")
        keys.tab_to(interval)
        expect(interval).to_have_value("month")
        keys.go(page.get_by_role("button", name="پرداخت در Stripe"))
        expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/checkout/cs_test_\w+/$"))
        expect(page.locator("main")).to_contain_text("استاندارد — ۴۵٫۰۰ یورو ماهانه")

        # The local Checkout page: a refused card, told; the number corrected, the rest kept.
        def card(number):
            keys.type(page.get_by_label("شماره کارت"), number)
            keys.type(page.get_by_label("ماه انقضا"), "12")
            keys.type(page.get_by_label("سال انقضا (میلادی)"), "2030")
            keys.type(page.get_by_label("کد امنیتی"), "123")

        card("4000000000000002")
        keys.go(page.get_by_role("button", name="پرداخت و فعال‌سازی اشتراک"))
        expect(page.get_by_role("alert")).to_have_text("کارت پذیرفته نشد؛ کارت دیگری را امتحان کنید.")
        keys.tab_to(page.get_by_label("شماره کارت"))
        expect(page.get_by_label("شماره کارت")).to_have_attribute("aria-describedby", "card-error")
        page.keyboard.press("Control+A")
        page.keyboard.type("4242 4242 4242 4242")
        expect(page.get_by_label("کد امنیتی")).to_have_value("123")
        keys.go(page.get_by_role("button", name="پرداخت و فعال‌سازی اشتراک"))
        expect(page).to_have_url(re.compile(r"/staff/billing/\?checkout=done$"))
        status = page.locator(".card").first
        expect(status).to_contain_text("استاندارد (ماهانه)")
        expect(status).to_contain_text("فعال؛ نخستین پرداخت در پایان دوره آزمایشی")

        # The subscription at Stripe, and back by its link.
        keys.go(page.get_by_role("button", name="مدیریت کارت و صورت‌حساب‌ها در Stripe"))
        expect(page.get_by_role("heading", name="مدیریت اشتراک در Stripe آزمایشی محلی")).to_be_visible()
        expect(page.locator("main")).to_contain_text("استاندارد")
        keys.go(page.get_by_role("link", name="بازگشت به میزبان"))
        expect(page.get_by_role("heading", name="اشتراک و صورت‌حساب")).to_be_visible()
        keys.assert_all_seen()
    finally:
        context.close()
