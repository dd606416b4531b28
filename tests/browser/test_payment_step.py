"""A citizen pays a service's fee in the wizard: the fee and its total in Rial and Toman, the
local Zarinpal's page, back to the payment step with the reference, then the final submit."""

import re

import pytest

from tests.builders import CLEARANCE, MOBILE, NATIONAL_CODE
from tests.clients import tenant_url

pytestmark = pytest.mark.browser


def _next(page):
    page.get_by_role("button", name="تایید و ادامه").click()
    page.wait_for_load_state()


def test_the_fee_is_paid_at_the_gateway_and_the_request_submitted(live_server_url, gamma_gateway, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "gamma", f"/requests/new/?service={CLEARANCE}"))
    page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم").check()
    page.get_by_role("button", name="آغاز ثبت درخواست").click()
    page.wait_for_load_state()
    _next(page)
    page.get_by_label("متن درخواست").fill("درخواست مفاصاحساب نوسازی پلاک ۴۵")
    _next(page)
    _next(page)
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("مریم")
    page.get_by_label("نام خانوادگی").fill("احمدی")
    page.get_by_label("تلفن همراه").fill(MOBILE)
    _next(page)
    _next(page)
    page.get_by_role("link", name="ادامه: پرداخت هزینه‌ها و ثبت نهایی").click()
    page.wait_for_load_state()
    table = page.locator("main table").inner_text()
    assert "۱٬۵۰۰٬۰۰۰" in table and "۱۵۰٬۰۰۰" in table and "هزینه کارشناسی و صدور" in table
    assert page.get_by_role("button", name="ثبت نهایی درخواست").count() == 0

    page.get_by_role("button", name="پرداخت ۱۵۰٬۰۰۰ تومان").click()
    page.wait_for_load_state()
    assert "درگاه پرداخت آزمایشی" in page.content()
    page.get_by_role("button", name="پرداخت", exact=True).click()
    page.wait_for_url(re.compile(r"/pay/\?payment="))
    assert "تایید شد" in page.locator("main").inner_text()

    page.get_by_role("button", name="ثبت نهایی درخواست").click()
    page.wait_for_url("**/receipt/")
    receipt = page.locator("main").inner_text()
    assert "پرداخت‌ها" in receipt and "۱٬۵۰۰٬۰۰۰" in receipt and "شماره پیگیری" in receipt
