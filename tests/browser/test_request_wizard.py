"""A citizen on a phone registers a request through all six steps with two documents, keeps
the tracking code, downloads the receipt and tracks the request."""

import re

import pytest

from tests.builders import MOBILE, NATIONAL_CODE, pdf_bytes, png_bytes
from tests.clients import tenant_url

pytestmark = pytest.mark.browser
# A click that navigates returns once the new page commits, before it is parsed: every such
# click is followed by wait_for_load_state() before the page is read.


def _next(page):
    page.get_by_role("button", name="تایید و ادامه").click()
    page.wait_for_load_state()


def test_six_steps_receipt_and_tracking(live_server_url, demo_catalog_on_server, phone_page, tmp_path):
    page = phone_page
    (tmp_path / "plan.pdf").write_bytes(pdf_bytes())
    (tmp_path / "photo.png").write_bytes(png_bytes())

    page.goto(tenant_url(live_server_url, "gamma", "/services/10901010100/"))
    page.locator("main").get_by_role("link", name="ثبت درخواست").click()
    page.wait_for_load_state()
    page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم").check()
    page.get_by_role("button", name="آغاز ثبت درخواست").click()
    page.wait_for_load_state()

    assert "درخواست شما تنها زمانی ثبت می‌شود که کد رهگیری" in page.content(), page.locator("main").inner_text()  # 1. preamble
    _next(page)
    page.get_by_label("متن درخواست").fill("درخواست پروانه ساختمان مسکونی برای پلاک ۱۲")  # 2. details
    _next(page)
    for name in ("plan.pdf", "photo.png"):  # 3. attachments
        page.get_by_label("پرونده", exact=True).set_input_files(str(tmp_path / name))
        page.get_by_role("button", name="پیوست پرونده").click()
        page.wait_for_load_state()
        assert "پرونده پیوست شد." in page.content()
    assert "حداکثر ۲ پرونده، هر پرونده حداکثر ۸۰۰ کیلوبایت" in page.locator("#attach-rules").inner_text()
    _next(page)
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)  # 4. applicant
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("مریم")
    page.get_by_label("نام خانوادگی").fill("احمدی")
    page.get_by_label("تلفن همراه").fill(MOBILE)
    _next(page)
    page.get_by_label("روز").select_option("5")  # 5. the visit, on the Jalali picker
    page.get_by_label("ماه").select_option("8")
    page.get_by_label("سال").select_option(index=1)
    page.get_by_label("نام کارمند").fill("آقای رضایی")
    _next(page)
    review = page.content()  # 6. review
    assert "مریم احمدی" in review and "plan.pdf" in review and "photo.png" in review and "آقای رضایی" in review
    page.get_by_role("button", name="ثبت نهایی درخواست").click()
    page.wait_for_load_state()

    page.wait_for_url("**/receipt/")
    code_text = page.locator(".tracking-code").inner_text()
    code = code_text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert re.fullmatch(r"\d{16}", code)
    assert "تاریخ صدور پاسخ" in page.content()
    pdf_url = page.get_by_role("link", name="دریافت رسید (PDF)").get_attribute("href")
    # Fetched by the page itself (same session cookie); Node's resolver knows no *.localhost.
    content_type, head = page.evaluate(
        "async url => { const r = await fetch(url); return [r.headers.get('content-type'), (await r.text()).slice(0, 4)]; }", pdf_url
    )
    assert content_type == "application/pdf" and head == "%PDF"

    page.get_by_role("link", name="پیگیری درخواست").last.click()
    page.get_by_label("کد رهگیری (۱۶ رقم)").fill(code)
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    status = page.locator("#status-title")
    assert status.is_visible()
    assert "بررسی مدارک" in page.content() and "مرحله کنونی" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
