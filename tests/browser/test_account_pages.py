"""A clerk invited to alpha, on a phone set to English: every account page and message is Persian.

The invitation's link, the password's rules and errors, the sign-in message, changing the
password, turning on two-step sign-in, signing out, signing in with a TOTP code, a forgotten
password, a used link, and a citizen's sign-in code. The English-free check of
tests/browser/conftest.py reads every page on the way; the assertions say what a user reads.
"""

import re

import time

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.clients import tenant_url

# No django_db: the fixtures commit what the server process must see, and remove it after.
pytestmark = pytest.mark.browser
# A click that navigates returns once the new page commits, before it is parsed: every such
# click is followed by wait_for_load_state() before the page is read.

EMAIL = "invited.clerk@alpha.test"
PASSWORD, NEW_PASSWORD = "Davat-Name-1405-Alpha", "Taze-Gozarvazhe-1405"
CITIZEN_MOBILE = "09127770011"
PERSIAN = re.compile(r"[\u0600-\u06ff]")


def _in_alpha(django_db_blocker, work):
    with django_db_blocker.unblock(), schema_context("t_alpha"):
        try:
            return work()
        finally:
            connection.set_schema_to_public()


@pytest.fixture
def invitation_path(django_db_blocker):
    """A clerk account made as staff_invite makes it, and the path of its one-time link."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress
    from allauth.account.utils import user_pk_to_url_str

    from accounts.models import User

    def invite():
        user = User.objects.create_user(email=EMAIL, full_name="کارشناس دعوت‌شده", role=User.Role.CLERK)
        EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
        return reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
            urlconf="mizban.urls_tenant",
        )

    yield _in_alpha(django_db_blocker, invite)
    _in_alpha(django_db_blocker, lambda: User.objects.filter(email=EMAIL).delete())


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    # The code a phone shows now (the server also takes the previous period's, for the delay between
    # reading and submitting).
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _submit(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _message(page):
    status = page.get_by_role("status")
    expect(status.first).to_be_visible()
    return status.all_inner_texts()


def test_account_pages_are_persian_in_an_english_browser(live_server_url, invitation_path, phone_page):
    page = phone_page
    assert page.evaluate("navigator.language") == "en-US"

    # The invitation's link: choose a password; two different ones are refused in Persian.
    page.goto(tenant_url(live_server_url, "alpha", invitation_path))
    expect(page.get_by_role("heading", level=1)).to_have_text("تعیین گذرواژه")
    page.get_by_label("گذرواژه تازه", exact=True).fill(PASSWORD)
    page.get_by_label("تکرار گذرواژه تازه").fill(PASSWORD + "x")
    _submit(page, "ثبت گذرواژه")
    expect(page.get_by_role("alert").first).to_have_text(
        "دو گذرواژه‌ای که نوشتید یکسان نیستند؛ گذرواژه تازه را دو بار یکسان بنویسید.")
    page.get_by_label("گذرواژه تازه", exact=True).fill("12345")
    page.get_by_label("تکرار گذرواژه تازه").fill("12345")
    _submit(page, "ثبت گذرواژه")
    expect(page.get_by_text("گذرواژه کوتاه است؛ دست‌کم ۱۰ نویسه لازم است.")).to_be_visible()
    expect(page.get_by_text("گذرواژه نباید تنها از رقم ساخته شود.")).to_be_visible()
    page.get_by_label("گذرواژه تازه", exact=True).fill(PASSWORD)
    page.get_by_label("تکرار گذرواژه تازه").fill(PASSWORD)
    _submit(page, "ثبت گذرواژه")
    page.wait_for_url("**/staff/")
    assert "کارشناس دعوت‌شده" in " ".join(_message(page))

    # The same link a second time says it is used, and where to get another.
    page.goto(tenant_url(live_server_url, "alpha", invitation_path))
    expect(page.get_by_role("heading", level=1)).to_have_text("پیوند تعیین گذرواژه کار نمی‌کند")

    # Changing the password: a wrong current password, then the right one.
    page.goto(tenant_url(live_server_url, "alpha", "/staff/"))
    page.get_by_role("link", name="تغییر گذرواژه").click()
    page.wait_for_load_state()
    page.get_by_label("گذرواژه کنونی").fill("not-my-password")
    page.get_by_label("گذرواژه تازه", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("تکرار گذرواژه تازه").fill(NEW_PASSWORD)
    _submit(page, "تغییر گذرواژه")
    expect(page.get_by_role("alert").first).to_have_text("گذرواژه کنونی درست نیست.")
    page.get_by_label("گذرواژه کنونی").fill(PASSWORD)
    page.get_by_label("گذرواژه تازه", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("تکرار گذرواژه تازه").fill(NEW_PASSWORD)
    _submit(page, "تغییر گذرواژه")
    assert "گذرواژه شما تغییر کرد." in _message(page)

    # Two-step sign-in: a wrong code, then the authenticator's code; the recovery codes.
    page.goto(tenant_url(live_server_url, "alpha", "/staff/"))
    page.get_by_role("link", name="ورود دومرحله‌ای").click()
    page.wait_for_load_state()
    expect(page.get_by_text("ورود دومرحله‌ای فعال نیست.")).to_be_visible()
    page.get_by_role("link", name="فعال کردن").click()
    page.wait_for_load_state()
    # A sensitive change asks for the password again first.
    expect(page.get_by_role("heading", level=1)).to_have_text("تأیید هویت")
    page.get_by_label("گذرواژه", exact=True).fill(NEW_PASSWORD)
    _submit(page, "تأیید")
    secret = page.get_by_label("کلید رمزساز", exact=True).input_value()
    page.get_by_label("کد رمزساز", exact=True).fill("000000" if _totp_code(secret) != "000000" else "111111")
    _submit(page, "فعال کردن")
    expect(page.get_by_role("alert").first).to_contain_text("کد درست نیست")
    page.get_by_label("کد رمزساز", exact=True).fill(_totp_code(secret))
    _submit(page, "فعال کردن")
    assert "ورود دومرحله‌ای با برنامه رمزساز فعال شد." in _message(page)
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/2fa/"))
    page.get_by_role("link", name="دیدن کدها").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("کدهای بازیابی")

    # The e-mail addresses page, the codes' page and turning two-step sign-in off (not done).
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("نشانی‌های پست الکترونیک")
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/2fa/recovery-codes/generate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ساختن کدهای بازیابی تازه")
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/2fa/totp/deactivate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("غیرفعال کردن ورود دومرحله‌ای")

    # Signing out.
    page.goto(tenant_url(live_server_url, "alpha", "/staff/"))
    _submit(page, "خروج")
    assert "از حساب خود خارج شدید." in _message(page)

    # Signing in: the wrong password, then the password and the TOTP code.
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/"))
    page.get_by_label("پست الکترونیک").fill(EMAIL)
    page.get_by_label("گذرواژه", exact=True).fill(PASSWORD)
    _submit(page, "ورود")
    expect(page.get_by_role("alert").first).to_have_text("پست الکترونیک یا گذرواژه درست نیست.")
    page.get_by_label("گذرواژه", exact=True).fill(NEW_PASSWORD)
    _submit(page, "ورود")
    expect(page.get_by_role("heading", level=1)).to_have_text("ورود دومرحله‌ای")
    page.get_by_label("کد رمزساز یا کد بازیابی").fill("12345678")
    _submit(page, "ورود")
    expect(page.get_by_role("alert").first).to_contain_text("کد درست نیست")
    page.get_by_label("کد رمزساز یا کد بازیابی").fill(_totp_code(secret))
    _submit(page, "ورود")
    page.wait_for_url("**/staff/")
    assert "کارشناس دعوت‌شده" in " ".join(_message(page))
    _submit(page, "خروج")

    # A forgotten password.
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/"))
    page.get_by_role("link", name="گذرواژه را فراموش کرده‌ام").click()
    page.wait_for_load_state()
    page.get_by_label("پست الکترونیک").fill(EMAIL)
    _submit(page, "فرستادن پیوند")
    expect(page.get_by_role("heading", level=1)).to_have_text("پیوند فرستاده شد")

    # Sign-up is closed, in Persian.
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/signup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ثبت‌نام بسته است")


@pytest.fixture
def citizen_mobile(django_db_blocker):
    """A number new to alpha; the citizen account and text messages the server makes go after."""
    from accounts.models import User
    from notifications.models import SmsMessage

    yield CITIZEN_MOBILE
    _in_alpha(django_db_blocker, lambda: (
        SmsMessage.objects.filter(mobile=CITIZEN_MOBILE).delete(), User.objects.filter(mobile=CITIZEN_MOBILE).delete()))


def test_citizen_sign_in_code_is_announced_in_persian(live_server_url, citizen_mobile, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "alpha", "/accounts/login/code/"))
    page.get_by_label("شماره همراه").fill(citizen_mobile)
    _submit(page, "دریافت کد با پیامک")
    expect(page.get_by_role("heading", level=1)).to_have_text("کد ورود")
    assert "کد ورود به شماره ۰۹۱۲۷۷۷۰۰۱۱ پیامک شد." in _message(page)
    page.get_by_label("کد ورود").fill("000000")
    _submit(page, "تایید و ورود")
    expect(page.get_by_role("alert").first).to_contain_text(PERSIAN)


def test_the_vendor_sign_in_page_is_persian(live_server_url, phone_page):
    page = phone_page
    page.goto(live_server_url + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ورود کارکنان میزبان")
    page.get_by_label("پست الکترونیک").fill("nobody@mizban.test")
    page.get_by_label("گذرواژه", exact=True).fill("not-the-password")
    _submit(page, "ورود")
    expect(page.get_by_role("alert").first).to_have_text("پست الکترونیک یا گذرواژه درست نیست.")
