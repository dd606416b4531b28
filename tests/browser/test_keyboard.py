"""The browser tests' journeys again, with the keyboard alone (Tab, Shift+Tab, Enter, Space,
arrows and typing; no click): a citizen opens the cascade with "+", reads a card, goes through
the six steps of the wizard (the Jalali date picker from its lists, which says the date it holds)
and tracks the request with the one-time code; a tenant admin signs in, accepts a request, asks
the citizen for a document and issues the answer; the branding editor saves a draft and
publishes it; the vendor suspends a tenant and makes it active again; a citizen saves a card's
form, and pays a fee at the bank to the receipt's reference; a clerk changes the password, turns
on two-step sign-in and signs in with its code and with a recovery code; a tenant admin reads the
report's charts and their data tables, the vendor the evaluation's tables. Every element focus
lands on shows a visible focus ring (the tenant admin's billing: test_keyboard_billing.py)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.builders import MOBILE, NATIONAL_CODE, SERVICE, STAFF_PASSWORD, letter_post, pdf_bytes, user_make
from tests.clients import tenant_url
from tests.keyboard import Keyboard

pytestmark = pytest.mark.browser

GAMMA = "t_gamma"
ADMIN = "keys.admin@gamma.test"
TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _in_gamma(django_db_blocker, work):
    with django_db_blocker.unblock(), schema_context(GAMMA):
        try:
            return work()
        finally:
            connection.set_schema_to_public()


@pytest.fixture(scope="module")
def keyboard_world(live_server_url, demo_catalog_on_server, django_db_blocker):
    """Gamma's admin with a password, and the requests made here removed afterwards."""
    from accounts.models import User
    from intake.models import AnswerLetter, ServiceRequest

    def make():
        first = ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
        admin = User.objects.filter(email=ADMIN).first() or user_make(email=ADMIN, role="tenant_admin", schema=GAMMA)
        return first, admin.pk

    first, admin_id = _in_gamma(django_db_blocker, make)
    yield tenant_url(live_server_url, "gamma", "")

    def remove():
        mine = ServiceRequest.objects.filter(id__gt=first)
        AnswerLetter.objects.filter(request__in=mine).delete()
        mine.delete()
        User.objects.filter(pk=admin_id).delete()

    _in_gamma(django_db_blocker, remove)


@pytest.fixture
def keys(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield Keyboard(context.new_page())
    context.close()


def test_citizen_journey_by_keyboard(keyboard_world, keys, django_db_blocker, tmp_path):
    from notifications.models import SmsMessage

    page, base = keys.page, keyboard_world
    (tmp_path / "plan.pdf").write_bytes(pdf_bytes())
    page.goto(base + "/services/")

    # The cascade: "+" opens with Enter, closes with Space, and says so (aria-expanded).
    toggle = page.get_by_role("button", name="نمایش زیرخدمت‌های صدور پروانه ساختمان")
    sub_service = page.get_by_role("link", name="صدور پروانه ساختمان مسکونی")
    keys.press(toggle, "Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sub_service).to_be_visible()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(sub_service).to_be_hidden()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    keys.go(sub_service)
    page.wait_for_url(f"**/services/{SERVICE}/")

    # The six steps of the wizard.
    keys.go(page.locator("main").get_by_role("link", name="ثبت درخواست"))
    keys.press(page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم"), "Space")
    expect(page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم")).to_be_checked()
    next_button = page.get_by_role("button", name="تایید و ادامه")
    keys.go(page.get_by_role("button", name="آغاز ثبت درخواست"))
    keys.go(next_button)  # 1. preamble
    keys.type(page.get_by_label("متن درخواست"), "درخواست پروانه ساختمان برای پلاک ۱۲")  # 2. details
    keys.go(next_button)
    with page.expect_file_chooser() as chooser:  # 3. attachments: the file input opens with Space
        keys.press(page.get_by_label("پرونده", exact=True), "Space")
    chooser.value.set_files(str(tmp_path / "plan.pdf"))
    keys.go(page.get_by_role("button", name="پیوست پرونده"))
    expect(page.get_by_text("پرونده پیوست شد.")).to_be_visible()
    keys.go(next_button)
    keys.type(page.get_by_label("کد ملی"), NATIONAL_CODE)  # 4. applicant
    keys.type(page.get_by_label(re.compile(r"^نام( \*)?$")), "مریم")
    keys.type(page.get_by_label("نام خانوادگی"), "احمدی")
    keys.type(page.get_by_label("تلفن همراه"), MOBILE)
    # Shift+Tab back to the first name, to correct it.
    keys.tab_to(page.get_by_label(re.compile(r"^نام( \*)?$")), back=True)
    page.keyboard.press("End")
    page.keyboard.type(" سادات")
    keys.go(next_button)
    said = page.locator("[data-jalali-said]")  # 5. the visit: the Jalali picker from the keyboard
    keys.press(page.get_by_label("روز"), "ArrowDown")
    expect(page.get_by_label("روز")).to_have_value("1")
    expect(said).to_have_text("تاریخ کامل نیست: روز، ماه و سال را انتخاب کنید.")
    keys.press(page.get_by_label("ماه"), "ArrowDown")
    keys.press(page.get_by_label("سال"), "ArrowDown")
    expect(said).to_have_text(re.compile(r"^تاریخ انتخاب‌شده: ۱ فروردین [۰-۹]{4}$"))
    expect(said).to_have_attribute("aria-live", "polite")
    keys.go(next_button)
    expect(page.locator("main")).to_contain_text("مریم سادات احمدی")  # 6. review
    keys.go(page.get_by_role("button", name="ثبت نهایی درخواست"))
    page.wait_for_url("**/receipt/")
    code = page.locator(".tracking-code").first.inner_text().translate(TO_LATIN)

    # Tracking with the one-time code.
    keys.go(page.locator("main").get_by_role("link", name="پیگیری درخواست"))
    keys.type(page.get_by_label("کد رهگیری (۱۶ رقم)"), code)
    keys.type(page.get_by_label("کد ملی یا شماره همراه متقاضی"), NATIONAL_CODE)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field submits its form
    keys.go(page.get_by_role("button", name="ارسال رمز یکبار مصرف"))
    text = _in_gamma(django_db_blocker, lambda: SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("id").text)
    keys.type(page.get_by_label("رمز یکبار مصرف (۶ رقم)"), re.search(r"[۰-۹]{6}", text).group(0).translate(TO_LATIN))
    keys.go(page.get_by_role("button", name="تأیید"))
    page.wait_for_url("**/track/request/")
    expect(page.locator("main")).to_contain_text("مرحله کنونی")
    assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)


def test_staff_journey_by_keyboard(keyboard_world, keys, django_db_blocker):
    from catalog.models import Service
    from lib.persian import to_persian_digits
    from tests.builders import request_submitted_make

    page, base = keys.page, keyboard_world

    def submitted():
        unit = Service.objects.get(national_id=SERVICE).units.order_by("order", "id").first()
        return request_submitted_make(schema=GAMMA, unit=unit).tracking_code

    asked, answered = _in_gamma(django_db_blocker, submitted), _in_gamma(django_db_blocker, submitted)
    page.goto(base + "/accounts/login/")
    keys.type(page.get_by_label("پست الکترونیک"), ADMIN)
    keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/staff/")
    keys.go(page.get_by_role("link", name="درخواست‌ها").first)
    queue = page.url
    # One request: accepted, then the citizen is asked for a document.
    keys.go(page.get_by_role("link", name=to_persian_digits(asked)))
    keys.go(page.get_by_role("button", name="پذیرش درخواست"))
    expect(page.locator("main")).to_contain_text("درخواست پذیرفته شد.")
    keys.type(page.get_by_label("درخواست مدرک یا اطلاعات از متقاضی"), "تصویر سند مالکیت را بفرستید.")
    keys.go(page.get_by_role("button", name="فرستادن برای متقاضی"))
    expect(page.locator("main")).to_contain_text("درخواست برای متقاضی فرستاده شد.")
    # Another: accepted, then answered (the outcome is a radio, chosen with Space).
    page.goto(queue)
    keys.go(page.get_by_role("link", name=to_persian_digits(answered)))
    keys.go(page.get_by_role("button", name="پذیرش درخواست"))
    letter = letter_post()
    outcome = page.locator("main form").get_by_label("پذیرش درخواست", exact=True)
    keys.press(outcome, "Space")
    expect(outcome).to_be_checked()
    keys.type(page.get_by_label("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده"), letter["legal_basis"])
    keys.type(page.get_by_label("مفاد اصلی پاسخ"), letter["content"])
    keys.go(page.get_by_role("button", name="صدور پاسخ"))
    expect(page.locator("main")).to_contain_text("پاسخ صادر شد و به متقاضی خبر داده شد.")
    assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)


def test_branding_editor_by_keyboard(keyboard_world, keys, django_db_blocker):
    from portal_themes.models import Theme
    from portal_themes.services import theme_cache_forget

    page, base = keys.page, keyboard_world
    before = _in_gamma(django_db_blocker, lambda: Theme.objects.values("display_name", "version").get())
    page.goto(base + "/accounts/login/?next=/staff/branding/")
    keys.type(page.get_by_label("پست الکترونیک"), ADMIN)
    keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/staff/branding/")
    try:
        name = page.get_by_label("نام نمایشی درگاه")
        keys.tab_to(name)
        page.keyboard.press("Control+A")
        page.keyboard.type("شهرداری گاما با صفحه‌کلید")
        keys.go(page.get_by_role("button", name="ذخیره پیش‌نویس"))
        expect(page.locator("main")).to_contain_text("پیش‌نویس ذخیره شد.")
        page.once("dialog", lambda dialog: dialog.accept())  # the question before publishing, answered
        keys.go(page.get_by_role("button", name="انتشار پیش‌نویس"))
        expect(page.locator("main")).to_contain_text("ظاهر درگاه منتشر شد")
        expect(page.locator("header.site .brand")).to_contain_text("شهرداری گاما با صفحه‌کلید")
        assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)
    finally:
        def restore():
            from portal_themes.models import ThemeDraft

            Theme.objects.update(**before)
            ThemeDraft.objects.update(display_name=before["display_name"])
            theme_cache_forget()

        _in_gamma(django_db_blocker, restore)


def test_console_suspend_by_keyboard(live_server_url, _gamma, keys):
    """The vendor suspends gamma from the console and makes it active again, by keyboard: the
    question before suspending is answered as a keyboard user does (Enter on the dialog)."""
    from tests.builders import VENDOR_EMAIL

    page = keys.page
    page.goto(live_server_url + "/accounts/login/?next=/console/tenants/gamma/")
    keys.type(page.get_by_label("پست الکترونیک"), VENDOR_EMAIL)
    keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/console/tenants/gamma/")
    try:
        page.once("dialog", lambda dialog: dialog.accept())
        keys.go(page.get_by_role("button", name="تعلیق"))
        expect(page.get_by_role("button", name="فعال‌سازی دوباره")).to_be_visible()
        keys.go(page.get_by_role("button", name="فعال‌سازی دوباره"), back=True)
        expect(page.get_by_role("button", name="تعلیق")).to_be_visible()
        assert not keys.unseen, "focus not visible on:\n" + "\n".join(keys.unseen)
    finally:
        # Gamma serves other tests: give it back active.
        if page.get_by_role("button", name="فعال‌سازی دوباره").count():
            page.get_by_role("button", name="فعال‌سازی دوباره").click()
            page.wait_for_load_state()


def test_card_form_download_by_keyboard(keyboard_world, browser, django_db_blocker):
    """A citizen goes from the service page to its full card and saves one of its forms (فرم‌ها)
    with Enter on the link."""
    from pathlib import Path

    from django.core.files.base import ContentFile

    from catalog.models import FormFile, Service

    def attach():
        form = FormFile(service=Service.objects.get(national_id=SERVICE), title="فرم تعهدنامه مالک با صفحه‌کلید")
        form.file.save("form.pdf", ContentFile(pdf_bytes(2000)), save=True)
        return form

    form = _in_gamma(django_db_blocker, attach)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    keys = Keyboard(context.new_page())
    page = keys.page
    try:
        page.goto(keyboard_world + f"/services/{SERVICE}/")
        keys.go(page.get_by_role("link", name="جزئیات خدمت (شناسنامه خدمت)"))
        link = page.get_by_role("link", name="فرم تعهدنامه مالک با صفحه‌کلید")
        keys.tab_to(link)
        expect(link).to_be_in_viewport()  # scrolled to
        with page.expect_download() as caught:
            page.keyboard.press("Enter")
        assert caught.value.suggested_filename.endswith(".pdf")
        assert Path(caught.value.path()).read_bytes() == pdf_bytes(2000)
        keys.assert_all_seen()
    finally:
        context.close()

        def remove():
            form.file.delete(save=False)
            form.delete()

        _in_gamma(django_db_blocker, remove)


def test_citizen_payment_by_keyboard(keyboard_world, gamma_gateway, keys, django_db_blocker):
    """A citizen fills the wizard of a service with a fee, pays it at the bank (the local
    Zarinpal's page, driven by keys too) and submits: the receipt shows the payment's reference."""
    from lib.persian import to_persian_digits
    from payments.models import Payment
    from tests.builders import CLEARANCE

    page, base = keys.page, keyboard_world
    next_button = page.get_by_role("button", name="تایید و ادامه")
    page.goto(base + f"/services/{CLEARANCE}/")
    keys.go(page.locator("main").get_by_role("link", name="ثبت درخواست"))
    keys.press(page.get_by_label("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم"), "Space")
    keys.go(page.get_by_role("button", name="آغاز ثبت درخواست"))
    keys.go(next_button)  # 1. preamble
    keys.type(page.get_by_label("متن درخواست"), "درخواست مفاصاحساب نوسازی پلاک ۴۵")  # 2. details
    keys.go(next_button)
    keys.go(next_button)  # 3. no attachment
    keys.type(page.get_by_label("کد ملی"), NATIONAL_CODE)  # 4. applicant
    keys.type(page.get_by_label(re.compile(r"^نام( \*)?$")), "مریم")
    keys.type(page.get_by_label("نام خانوادگی"), "احمدی")
    keys.type(page.get_by_label("تلفن همراه"), MOBILE)
    keys.go(next_button)
    keys.go(next_button)  # 5. no visit date
    keys.go(page.get_by_role("link", name="ادامه: پرداخت هزینه‌ها و ثبت نهایی"))  # 6. review
    expect(page.locator("main table")).to_contain_text("۱٬۵۰۰٬۰۰۰")
    expect(page.get_by_role("button", name="ثبت نهایی درخواست")).to_have_count(0)

    keys.go(page.get_by_role("button", name="پرداخت ۱۵۰٬۰۰۰ تومان"))
    expect(page.get_by_role("heading", name="درگاه پرداخت آزمایشی")).to_be_visible()  # the bank's page
    keys.tab_to(page.get_by_role("button", name="پرداخت", exact=True), foreign=True)
    with page.expect_navigation(url=re.compile(r"/pay/\?payment=")):
        page.keyboard.press("Enter")
    reference = _in_gamma(django_db_blocker, lambda: Payment.objects.filter(status="paid").latest("id").reference)
    shown = to_persian_digits(reference)
    expect(page.get_by_role("status")).to_contain_text(f"تایید شد. شماره پیگیری: {shown}")
    keys.go(page.get_by_role("button", name="ثبت نهایی درخواست"))
    page.wait_for_url("**/receipt/")
    payments = page.locator("main table").filter(has_text="شماره پیگیری (مرجع)")
    expect(payments).to_contain_text(shown)
    expect(payments).to_contain_text("۱٬۵۰۰٬۰۰۰")
    keys.assert_all_seen()


ACCOUNT = "keys.clerk@alpha.test"
NEW_PASSWORD = "Taze-Gozarvazhe-Kelid-1405"


@pytest.fixture
def alpha_clerk(live_server_url, django_db_blocker):
    """A clerk of alpha with a password, removed afterwards (two-step sign-in and codes with it)."""
    from accounts.models import User

    def make():
        user_make(email=ACCOUNT, role="clerk", schema="t_alpha")

    def remove():
        User.objects.filter(email=ACCOUNT).delete()

    _in_schema("t_alpha", django_db_blocker, make)
    yield tenant_url(live_server_url, "alpha", "")
    _in_schema("t_alpha", django_db_blocker, remove)


def _in_schema(schema, django_db_blocker, work):
    with django_db_blocker.unblock(), schema_context(schema):
        try:
            return work()
        finally:
            connection.set_schema_to_public()


def _totp_now(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_account_pages_by_keyboard(alpha_clerk, keys):
    """A clerk changes the password (a wrong current one refused first), turns on two-step
    sign-in (the password asked again, a wrong code refused), reads the recovery codes, signs
    out, and signs in again with the authenticator's code, then with a recovery code."""
    page, base = keys.page, alpha_clerk
    status = page.get_by_role("status")

    def sign_in(password):
        page.goto(base + "/accounts/login/")
        keys.type(page.get_by_label("پست الکترونیک"), ACCOUNT)
        keys.type(page.get_by_label("گذرواژه", exact=True), password)
        keys.go(page.get_by_role("button", name="ورود"))

    def sign_out():
        page.goto(base + "/staff/")
        keys.go(page.get_by_role("button", name="خروج"))
        expect(status.filter(has_text="از حساب خود خارج شدید.")).to_be_visible()

    sign_in(STAFF_PASSWORD)
    page.wait_for_url("**/staff/")

    # The password: the wrong current one is refused, told at the field; then changed.
    keys.go(page.get_by_role("link", name="تغییر گذرواژه"))
    keys.type(page.get_by_label("گذرواژه کنونی"), "not-my-password")
    keys.type(page.get_by_label("گذرواژه تازه", exact=True), NEW_PASSWORD)
    keys.type(page.get_by_label("تکرار گذرواژه تازه"), NEW_PASSWORD)
    keys.go(page.get_by_role("button", name="تغییر گذرواژه"))
    expect(page.get_by_role("alert").first).to_have_text("گذرواژه کنونی درست نیست.")
    keys.type(page.get_by_label("گذرواژه کنونی"), STAFF_PASSWORD)
    keys.type(page.get_by_label("گذرواژه تازه", exact=True), NEW_PASSWORD)
    keys.type(page.get_by_label("تکرار گذرواژه تازه"), NEW_PASSWORD)
    keys.go(page.get_by_role("button", name="تغییر گذرواژه"))
    expect(status.filter(has_text="گذرواژه شما تغییر کرد.")).to_be_visible()

    # Two-step sign-in: the password again, the key read from its field, a wrong code, the right one.
    page.goto(base + "/staff/")
    keys.go(page.get_by_role("link", name="ورود دومرحله‌ای (رمز یکبار مصرف)"))
    keys.go(page.get_by_role("link", name="فعال کردن"))
    expect(page.get_by_role("heading", level=1)).to_have_text("تأیید هویت")
    keys.type(page.get_by_label("گذرواژه", exact=True), NEW_PASSWORD)
    keys.go(page.get_by_role("button", name="تأیید"))
    secret_field = page.get_by_label("کلید رمزساز", exact=True)
    keys.tab_to(secret_field)  # read-only, and still reachable: it is copied from here
    secret = secret_field.input_value()
    wrong = "000000" if _totp_now(secret) != "000000" else "111111"
    keys.type(page.get_by_label("کد رمزساز", exact=True), wrong)
    keys.go(page.get_by_role("button", name="فعال کردن"))
    expect(page.get_by_role("alert").first).to_contain_text("کد درست نیست")
    keys.type(page.get_by_label("کد رمزساز", exact=True), _totp_now(secret))
    keys.go(page.get_by_role("button", name="فعال کردن"))
    expect(status.filter(has_text="ورود دومرحله‌ای با برنامه رمزساز فعال شد.")).to_be_visible()

    # The recovery codes: reached from the two-step page, read in their field.
    page.goto(base + "/accounts/2fa/")
    keys.go(page.get_by_role("link", name="دیدن کدها"))
    expect(page.get_by_role("heading", level=1)).to_have_text("کدهای بازیابی")
    codes_field = page.get_by_label("کدهای استفاده‌نشده")
    keys.tab_to(codes_field)
    codes = codes_field.input_value().split()
    assert len(codes) >= 2

    # Out and in again: the password, then the authenticator's code.
    sign_out()
    sign_in(NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("ورود دومرحله‌ای")
    keys.type(page.get_by_label("کد رمزساز یا کد بازیابی"), _totp_now(secret))
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/staff/")
    expect(page.get_by_role("button", name="خروج")).to_be_visible()

    # And with a recovery code, as when the phone is not at hand.
    sign_out()
    sign_in(NEW_PASSWORD)
    keys.type(page.get_by_label("کد رمزساز یا کد بازیابی"), codes[0])
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/staff/")
    expect(page.get_by_role("button", name="خروج")).to_be_visible()
    keys.assert_all_seen()


# Every table in <main> a keyboard user cannot read whole: wider than what shows it, and no
# scrolling box around it that takes the focus (so arrows could bring its columns into view).
TABLES_CUT_JS = r"""
() => [...document.querySelectorAll('main table')].filter(table => {
  if (table.closest('.visually-hidden')) return false;
  let box = table.parentElement;
  while (box && box !== document.body) {
    const overflow = getComputedStyle(box).overflowX;
    if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') break;
    box = box.parentElement;
  }
  const shown = box && box !== document.body ? box.clientWidth : document.documentElement.clientWidth;
  const scrolls = box && box !== document.body && box.tabIndex >= 0 && getComputedStyle(box).overflowX !== 'hidden';
  return table.scrollWidth > shown + 1 && !scrolls;
}).map(table => (table.querySelector('caption, th') || table).textContent.trim().slice(0, 60))
"""


def test_report_charts_by_keyboard(live_server_url, alpha_year_1402, keys):
    """A tenant admin picks the year of the report from the keyboard; Tab reaches every chart
    (its button, with the chart in view), and Enter shows the chart's figures as a table, the
    same a screen reader reads; Enter again hides it."""
    from tests.builders import SESSION_TENANTS
    from tests.report_data import TITLES

    page = keys.page
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/?next=/staff/"))
    keys.type(page.get_by_label("پست الکترونیک"), SESSION_TENANTS["alpha"]["admin_email"])
    keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
    keys.go(page.get_by_role("button", name="ورود"))
    keys.go(page.get_by_role("link", name="گزارش میز خدمت"))
    year = page.get_by_label("سال")
    keys.tab_to(year)
    page.keyboard.press("Control+A")
    page.keyboard.type("1402")
    keys.go(page.get_by_role("button", name="نمایش"))
    expect(page.locator("h1")).to_contain_text("۱۴۰۲")

    for title in TITLES:
        figure = page.locator("figure.bar-chart").filter(has=page.locator("figcaption", has_text=title))
        button = page.get_by_role("button", name=f"جدول داده‌های نمودار: {title}")
        keys.press(button, "Enter")
        expect(figure.locator("figcaption")).to_be_in_viewport()
        expect(button).to_have_attribute("aria-expanded", "true")
        table = page.get_by_role("table", name=title)
        expect(table).to_be_visible()
        drawn = figure.locator(".chart-label").all_inner_texts()
        expect(table.get_by_role("rowheader")).to_have_text(drawn)
        expect(table.get_by_role("cell")).to_have_text(figure.locator(".chart-value").all_inner_texts())
        expect(page.locator("#" + button.get_attribute("aria-controls"))).not_to_have_class(re.compile(r"\bvisually-hidden\b"))
        assert table.bounding_box()["width"] > 100  # shown, not in the 1 px box screen readers read
    page.keyboard.press("Space")  # the last one hidden again; still there for screen readers
    last = page.get_by_role("button", name=f"جدول داده‌های نمودار: {TITLES[-1]}")
    expect(last).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("table", name=TITLES[-1])).to_have_count(1)
    expect(page.locator("#" + last.get_attribute("aria-controls"))).to_have_class(re.compile(r"\bvisually-hidden\b"))
    # The report's other tables: each whole on screen or in a box the keyboard scrolls.
    assert page.evaluate(TABLES_CUT_JS) == []
    keys.assert_all_seen()


def test_vendor_insights_by_keyboard(live_server_url, keys):
    """The vendor reaches the evaluation page from the console and filters it by keyboard; its
    ranking and trend tables are readable whole or scroll in a box that takes the focus."""
    from tests.builders import VENDOR_EMAIL

    page = keys.page
    page.goto(live_server_url + "/accounts/login/?next=/insights/")
    keys.type(page.get_by_label("پست الکترونیک"), VENDOR_EMAIL)
    keys.type(page.get_by_label("گذرواژه", exact=True), STAFF_PASSWORD)
    keys.go(page.get_by_role("button", name="ورود"))
    page.wait_for_url("**/insights/")
    keys.press(page.get_by_label("فصل"), "ArrowDown")
    expect(page.get_by_label("فصل")).to_have_value("1")
    keys.go(page.get_by_role("button", name="نمایش"))
    expect(page).to_have_url(re.compile(r"quarter=1"))
    expect(page.locator("h1")).to_contain_text("فصل")
    keys.tab_to(page.get_by_role("link", name="خروجی XLSX"))
    assert page.evaluate(TABLES_CUT_JS) == []
    keys.assert_all_seen()
