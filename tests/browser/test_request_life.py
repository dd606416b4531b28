"""A request's whole life on phones, on the live server (tenant "gamma"): the citizen submits;
the clerk accepts and asks for a document; the citizen uploads it through tracking after the
one-time code; the clerk sends an inquiry and records its reply, then issues the answer; the
citizen downloads the letter and answers the survey; the letter's QR page confirms it."""

import re

import jdatetime
import pytest
from playwright.sync_api import expect
from django.db import connection
from django_tenants.utils import schema_context

from lib.persian import to_persian_digits
from tests.builders import MOBILE, NATIONAL_CODE, pdf_bytes, png_bytes
from tests.clients import tenant_url

pytestmark = pytest.mark.browser
# A click that navigates returns once the new page commits, before it is parsed: every such
# click is followed by wait_for_load_state() before the page is read.

SERVICE = "10901010100"
CLERK_EMAIL, CLERK_PASSWORD = "clerk@gamma.test", "Clerk-Passw0rd-1405"
TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _in_gamma(django_db_blocker, read):
    """Read or write committed data of gamma (what the server sees)."""
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        try:
            return read()
        finally:
            connection.set_schema_to_public()


@pytest.fixture
def gamma_clerk(demo_catalog_on_server, django_db_blocker):
    """A clerk of the unit the service's requests go to, with a known password; removed after."""
    from accounts.models import User
    from catalog.models import Service, StaffMembership

    def create():
        unit = Service.objects.get(national_id=SERVICE).units.order_by("order", "id").first()
        user = User.objects.create_user(email=CLERK_EMAIL, password=CLERK_PASSWORD, role=User.Role.CLERK, full_name="کارشناس گاما")
        StaffMembership.objects.create(user=user, unit=unit)
        return user.pk

    user_id = _in_gamma(django_db_blocker, create)
    yield user_id

    def remove():
        from intake.models import AnswerLetter, ServiceRequest

        mine = ServiceRequest.objects.filter(national_code=NATIONAL_CODE, text__startswith="زندگی کامل")
        AnswerLetter.objects.filter(request__in=mine).delete()
        mine.delete()
        StaffMembership.objects.filter(user_id=user_id).delete()
        User.objects.filter(pk=user_id).delete()

    _in_gamma(django_db_blocker, remove)


def _next(page):
    page.get_by_role("button", name="تایید و ادامه").click()
    page.wait_for_load_state()


def _fetch_head(page, url):
    # Fetched by the page itself (same session cookie); Node's resolver knows no *.localhost.
    return page.evaluate(
        "async url => { const r = await fetch(url); return [r.status, r.headers.get('content-type'), (await r.text()).slice(0, 4)]; }", url
    )


def _citizen_submits(page, base, tmp_path) -> str:
    page.goto(base + f"/services/{SERVICE}/")
    page.locator("main").get_by_role("link", name="ثبت درخواست").click()
    page.wait_for_load_state()
    page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم").check()
    page.get_by_role("button", name="آغاز ثبت درخواست").click()
    page.wait_for_load_state()
    _next(page)
    page.get_by_label("متن درخواست").fill("زندگی کامل: درخواست پروانه ساختمان برای پلاک ۱۲")
    _next(page)
    page.get_by_label("پرونده", exact=True).set_input_files(str(tmp_path / "plan.pdf"))
    page.get_by_role("button", name="پیوست پرونده").click()
    page.wait_for_load_state()
    assert "پرونده پیوست شد." in page.content()
    _next(page)
    page.get_by_label("کد ملی").fill(NATIONAL_CODE)
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("مریم")
    page.get_by_label("نام خانوادگی").fill("احمدی")
    page.get_by_label("تلفن همراه").fill(MOBILE)
    _next(page)
    _next(page)
    page.get_by_role("button", name="ثبت نهایی درخواست").click()
    page.wait_for_url("**/receipt/")
    return page.locator(".tracking-code").inner_text().translate(TO_LATIN)


def _citizen_opens_with_the_code(page, base, code, django_db_blocker):
    from notifications.models import SmsMessage

    page.goto(base + "/track/")
    page.get_by_label("کد رهگیری (۱۶ رقم)").fill(code)
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="ارسال رمز یکبار مصرف").click()
    page.wait_for_load_state()
    assert "رمز یکبار مصرف به شماره" in page.content()
    # The console gateway's outbox is the citizen's phone.
    text = _in_gamma(django_db_blocker, lambda: SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("id").text)
    otp = re.search(r"[۰-۹]{6}", text).group(0).translate(TO_LATIN)
    page.get_by_label("رمز یکبار مصرف (۶ رقم)").fill(otp)
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_url("**/track/request/")


def _clerk_signs_in_and_opens(page, base, code):
    page.goto(base + "/accounts/login/")
    page.get_by_label("پست الکترونیک").fill(CLERK_EMAIL)
    page.get_by_label("گذرواژه", exact=True).fill(CLERK_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/staff/")
    page.goto(base + "/staff/requests/")
    page.get_by_role("link", name=to_persian_digits(code)).click()
    page.wait_for_load_state()
    assert "مریم احمدی" in page.content()


def _jalali_today() -> str:
    return to_persian_digits(jdatetime.date.today().strftime("%Y/%m/%d"))


def test_a_request_from_submission_to_survey(live_server_url, demo_catalog_on_server, gamma_clerk, browser, phone_page,
                                             tmp_path, django_db_blocker):
    from intake.models import AnswerLetter

    (tmp_path / "plan.pdf").write_bytes(pdf_bytes())
    (tmp_path / "deed.png").write_bytes(png_bytes())
    base = tenant_url(live_server_url, "gamma", "")
    citizen = phone_page
    code = _citizen_submits(citizen, base, tmp_path)
    assert re.fullmatch(r"\d{16}", code)

    clerk_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    clerk = clerk_context.new_page()
    try:
        # The clerk accepts and asks for a document.
        _clerk_signs_in_and_opens(clerk, base, code)
        clerk.get_by_role("button", name="پذیرش درخواست").click()
        clerk.wait_for_load_state()
        assert "درخواست پذیرفته شد." in clerk.content()
        clerk.get_by_label("درخواست مدرک یا اطلاعات از متقاضی").fill("تصویر سند مالکیت را بفرستید.")
        clerk.get_by_role("button", name="فرستادن برای متقاضی").click()
        clerk.wait_for_load_state()
        assert "درخواست برای متقاضی فرستاده شد." in clerk.content() and "در انتظار پاسخ متقاضی" in clerk.content()

        # The citizen uploads it through tracking, after the one-time code.
        _citizen_opens_with_the_code(citizen, base, code, django_db_blocker)
        assert "تصویر سند مالکیت را بفرستید." in citizen.content()
        citizen.get_by_label("پاسخ شما").fill("سند پیوست است.")
        citizen.get_by_label("پرونده‌ها").set_input_files(str(tmp_path / "deed.png"))
        citizen.get_by_role("button", name="فرستادن پاسخ").click()
        citizen.wait_for_load_state()
        assert "پاسخ شما برای میز خدمت فرستاده شد." in citizen.content()

        # The clerk sees it, sends an inquiry and records its reply, then issues the answer.
        clerk.reload()
        assert "سند پیوست است." in clerk.content() and "در حال رسیدگی" in clerk.content()
        clerk.get_by_label("دستگاه استعلام‌شونده").fill("اداره ثبت اسناد و املاک")
        clerk.get_by_label("متن نامه").fill("لطفاً وضعیت ثبتی پلاک ۱۲ را اعلام فرمایید.")
        clerk.get_by_label("تاریخ ارسال (۱۴۰۳/۰۵/۰۱)").fill(_jalali_today())
        clerk.get_by_label("مهلت پاسخ").fill(_jalali_today())
        clerk.get_by_role("button", name="ثبت استعلام").click()
        clerk.wait_for_load_state()
        assert "استعلام ثبت شد." in clerk.content() and "اداره ثبت اسناد و املاک" in clerk.content()
        clerk.get_by_label("تاریخ پاسخ", exact=True).fill(_jalali_today())
        clerk.get_by_label("متن پاسخ استعلام").fill("پلاک بدون معارض است.")
        clerk.get_by_role("button", name="ثبت پاسخ استعلام").click()
        clerk.wait_for_load_state()
        assert "پاسخ استعلام ثبت شد." in clerk.content() and "پلاک بدون معارض است." in clerk.content()
        clerk.get_by_label("پذیرش درخواست").check()
        clerk.get_by_label("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده").fill("ماده ۱۰۰ قانون شهرداری‌ها")
        clerk.get_by_label("مفاد اصلی پاسخ").fill("پروانه ساختمان صادر می‌شود.")
        clerk.get_by_label("پیوست پاسخ").set_input_files(str(tmp_path / "plan.pdf"))
        clerk.get_by_role("button", name="صدور پاسخ").click()
        clerk.wait_for_load_state()
        assert "پاسخ صادر شد و به متقاضی خبر داده شد." in clerk.content()
        assert clerk.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        clerk_context.close()

    # The citizen sees the answer, downloads the letter and answers the survey.
    citizen.reload()
    assert "پاسخ درخواست" in citizen.content() and "پروانه ساختمان صادر می‌شود." in citizen.content()
    status, content_type, head = _fetch_head(citizen, citizen.get_by_role("link", name="دریافت پاسخ (PDF)").get_attribute("href"))
    assert status == 200 and content_type == "application/pdf" and head == "%PDF"
    status, content_type, head = _fetch_head(citizen, citizen.get_by_role("link", name="دریافت پیوست پاسخ").get_attribute("href"))
    assert status == 200 and content_type == "application/pdf" and head == "%PDF"
    citizen.get_by_role("link", name="تکمیل فرم نظرسنجی").click()
    citizen.wait_for_load_state()
    # The click returns once the navigation commits; wait for the survey page to be loaded.
    citizen.wait_for_load_state("load")
    questions = citizen.locator("fieldset")
    expect(questions).to_have_count(16)
    for index in range(16):
        questions.nth(index).get_by_label("خیلی زیاد").check()
    citizen.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    citizen.wait_for_load_state()
    assert "پاسخ شما ثبت شد." in citizen.content()

    # The letter's QR code opens the public page that confirms it.
    letter = _in_gamma(django_db_blocker, lambda: AnswerLetter.objects.get(request__tracking_code=code))
    citizen.goto(base + f"/letters/verify/{letter.public_id}/")
    page_text = citizen.locator("main").inner_text()
    assert "معتبر" in page_text and to_persian_digits(letter.number) in page_text and "شهرداری گاما" in page_text
    assert letter.content_hash in page_text and "مریم احمدی" in page_text and "پروانه ساختمان صادر می‌شود." in page_text
    assert to_persian_digits(NATIONAL_CODE) not in page_text and NATIONAL_CODE not in page_text
    assert citizen.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
