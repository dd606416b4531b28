"""Staff sign in with e-mail and password, and a TOTP code once they have turned it on."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django_tenants.utils import schema_context

from accounts.models import User
from tests.builders import user_make

PASSWORD = "Clerk-Passw0rd-1405"
TOO_MANY = "تلاش‌های ناموفق ورود از حد گذشت"


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def clerk(tenant_a):
    with schema_context(tenant_a.schema_name):
        return user_make(email="clerk@alpha.test", password=PASSWORD, role=User.Role.CLERK, full_name="کارشناس آزمون")


def test_clerk_signs_in_and_sees_the_role(client_a, clerk):
    response = client_a.post("/accounts/login/", {"login": "clerk@alpha.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    page = client_a.get("/staff/").content.decode()
    assert "کارشناس آزمون" in page and "نقش شما: <strong>کارشناس</strong>" in page


def test_totp_is_asked_once_turned_on(client_a, clerk, tenant_a):
    secret = generate_totp_secret()
    with schema_context(tenant_a.schema_name):
        TOTP.activate(clerk, secret)
    response = client_a.post("/accounts/login/", {"login": "clerk@alpha.test", "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client_a.get("/staff/").status_code == 302  # not signed in yet

    wrong = client_a.post("/accounts/2fa/authenticate/", {"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert client_a.get("/staff/").status_code == 302

    right = client_a.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert right.status_code == 302 and right["Location"] == "/staff/"
    assert client_a.get("/staff/").status_code == 200


def _code_at(secret: str, periods_ago: int) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - periods_ago))


def test_a_code_read_at_the_end_of_its_period_is_taken_once_and_an_older_one_never(client_a, clerk, tenant_a):
    secret = generate_totp_secret()
    with schema_context(tenant_a.schema_name):
        TOTP.activate(clerk, secret)
    client_a.post("/accounts/login/", {"login": "clerk@alpha.test", "password": PASSWORD})
    older = client_a.post("/accounts/2fa/authenticate/", {"code": _code_at(secret, 2)})
    assert older.status_code == 200 and "کد درست نیست" in older.content.decode()
    previous = client_a.post("/accounts/2fa/authenticate/", {"code": _code_at(secret, 1)})
    assert previous.status_code == 302 and previous["Location"] == "/staff/"

    client_a.post("/accounts/logout/")
    client_a.post("/accounts/login/", {"login": "clerk@alpha.test", "password": PASSWORD})
    again = client_a.post("/accounts/2fa/authenticate/", {"code": _code_at(secret, 1)})
    assert again.status_code == 200 and client_a.get("/staff/").status_code == 302  # a used code is spent


def test_a_citizen_account_cannot_enter_the_staff_area(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="citizen@alpha.test", password=PASSWORD, role=User.Role.CITIZEN)
    client_a.post("/accounts/login/", {"login": "citizen@alpha.test", "password": PASSWORD})
    assert client_a.get("/staff/").status_code == 403


def test_nobody_can_sign_up_by_themselves(client_a):
    response = client_a.post("/accounts/signup/", {"email": "x@y.test", "password1": PASSWORD, "password2": PASSWORD})
    with schema_context("t_alpha"):
        assert not User.objects.filter(email="x@y.test").exists()
    assert response.status_code in (200, 403)


def test_a_refused_sign_in_keeps_the_email_and_the_remember_tick(client_a, clerk):
    page = client_a.post("/accounts/login/", {"login": "clerk@alpha.test", "password": "wrong-one", "remember": "on"}).content.decode()
    assert 'value="clerk@alpha.test"' in page
    assert '<input type="checkbox" name="remember" checked>' in page
    assert "wrong-one" not in page  # a password is never written back into the page


def test_failed_sign_ins_from_one_ip_add_up_across_tenants(client_a, client_b, settings):
    """allauth's per-IP limits count the platform's client IP once across every host; its
    per-account limits stay in the account's tenant."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}

    def refused(client, ip: str) -> bool:
        response = client.post("/accounts/login/", {"login": "nobody@alpha.test", "password": "wrong"}, REMOTE_ADDR=ip,
                               HTTP_X_FORWARDED_FOR="198.51.100.1")  # no proxy trusted: ignored
        assert response.status_code == 200
        return TOO_MANY in response.content.decode()

    assert [refused(client_a, "203.0.113.4"), refused(client_a, "203.0.113.4"), refused(client_b, "203.0.113.4")] == [False] * 3
    assert refused(client_b, "203.0.113.4") and refused(client_a, "203.0.113.4")
    assert not refused(client_a, "203.0.113.5")
