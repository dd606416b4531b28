"""A browser that asks for English still gets Persian: every account page allauth serves, its
messages and its e-mails (the browser walk is tests/browser/test_account_pages.py; this one
also reaches the pages a walk does not, such as a deactivated account's)."""

import html
import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import User
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, user_make
from tests.english import latin_words

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
ADMIN = SESSION_TENANTS["alpha"]["admin_email"]
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>|<input[^>]*type=\"hidden\"[^>]*>|<[^>]*translate=\"no\"[^>]*>[^<]*", re.S)
_SHOWN_ATTRS = re.compile(r"\b(?:placeholder|aria-label|title|alt)=\"([^\"]*)\"|<input[^>]*type=\"submit\"[^>]*value=\"([^\"]*)\"")


def english_in(page: str) -> list[str]:
    """The English words of a page's text, title and shown attributes."""
    page = _HIDDEN.sub(" ", page)
    attributes = " ".join(" ".join(match) for match in _SHOWN_ATTRS.findall(page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return latin_words(text + " " + html.unescape(attributes))


@pytest.mark.parametrize("path", [
    "/accounts/login/", "/accounts/password/reset/", "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-nonsense/", "/accounts/signup/", "/accounts/login/code/",
    "/accounts/inactive/",
])
def test_pages_for_everyone(client_a, path):
    response = client_a.get(path, follow=True, **ENGLISH)
    assert response.status_code == 200
    assert english_in(response.content.decode()) == []


@pytest.mark.parametrize("path", [
    "/accounts/password/change/", "/accounts/reauthenticate/", "/accounts/email/", "/accounts/logout/",
    "/accounts/2fa/", "/accounts/2fa/totp/activate/",
])
def test_pages_for_a_signed_in_clerk(client_a, path):
    assert client_a.post("/accounts/login/", {"login": ADMIN, "password": STAFF_PASSWORD}).status_code == 302
    response = client_a.get(path, follow=True, **ENGLISH)
    assert response.status_code == 200
    assert english_in(response.content.decode()) == []


def test_sign_in_and_its_error_are_persian(client_a):
    wrong = client_a.post("/accounts/login/", {"login": ADMIN, "password": "not-the-password"}, **ENGLISH)
    assert "پست الکترونیک یا گذرواژه درست نیست." in wrong.content.decode()
    right = client_a.post("/accounts/login/", {"login": ADMIN, "password": STAFF_PASSWORD}, follow=True, **ENGLISH)
    messages = [str(message) for message in right.context["messages"]]
    assert messages and all(english_in(message) == [] for message in messages)


def test_a_deactivated_account_is_told_in_persian(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="gone@alpha.test", role=User.Role.CLERK, is_active=False)
    response = client_a.post("/accounts/login/", {"login": "gone@alpha.test", "password": STAFF_PASSWORD}, follow=True, **ENGLISH)
    assert english_in(response.content.decode()) == []


def test_password_reset_e_mail_is_persian(client_a):
    client_a.post("/accounts/password/reset/", {"email": ADMIN}, **ENGLISH)
    client_a.post("/accounts/password/reset/", {"email": "nobody@alpha.test"}, **ENGLISH)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert english_in(message.subject) == [] and english_in(message.body) == []
    assert "شهرداری آلفا" in mail.outbox[0].body


def test_password_rules_are_persian(client_a):
    # Django 5.2's length message has no Persian in Django's own catalogue: it came out in English.
    client_a.post("/accounts/login/", {"login": ADMIN, "password": STAFF_PASSWORD})
    response = client_a.post("/accounts/password/change/", {"oldpassword": STAFF_PASSWORD, "password1": "123", "password2": "1234"}, **ENGLISH)
    page = response.content.decode()
    assert "گذرواژه کوتاه است؛ دست‌کم ۱۰ نویسه لازم است." in page and "گذرواژه نباید تنها از رقم ساخته شود." in page
    assert english_in(page) == []


def test_two_step_pages_are_persian(client_a, tenant_a):
    import time

    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    secret = generate_totp_secret()
    with schema_context(tenant_a.schema_name):
        clerk = user_make(email="two.step@alpha.test", role=User.Role.CLERK)
        TOTP.activate(clerk, secret)
        RecoveryCodes.activate(clerk)
    signed_in = client_a.post("/accounts/login/", {"login": "two.step@alpha.test", "password": STAFF_PASSWORD}, follow=True, **ENGLISH)
    assert "ورود دومرحله‌ای" in signed_in.content.decode() and english_in(signed_in.content.decode()) == []
    wrong = client_a.post("/accounts/2fa/authenticate/", {"code": "12345678"}, **ENGLISH)
    assert "کد درست نیست" in wrong.content.decode() and english_in(wrong.content.decode()) == []
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client_a.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    for path in ["/accounts/2fa/", "/accounts/2fa/reauthenticate/", "/accounts/2fa/recovery-codes/",
                 "/accounts/2fa/recovery-codes/generate/", "/accounts/2fa/totp/deactivate/"]:
        response = client_a.get(path, follow=True, **ENGLISH)
        assert response.status_code == 200 and english_in(response.content.decode()) == [], path
