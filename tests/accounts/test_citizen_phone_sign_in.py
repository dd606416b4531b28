"""Citizens sign in with their mobile number and a code sent by SMS (allauth's login by
code over our SMS outbox); the first sign-in creates a citizen account; citizens are not
staff; accounts and codes stay in their own tenant."""

import re

from django_tenants.utils import schema_context

from accounts.models import User
from lib.persian import to_ascii_digits
from notifications.models import SmsMessage
from tests.builders import user_make

MOBILE = "09121234567"


def _code_sent(schema_name: str, mobile: str = MOBILE) -> str:
    with schema_context(schema_name):
        message = SmsMessage.objects.filter(purpose="login_code", mobile=mobile).latest("id")
    return re.search(r"\d{6}", to_ascii_digits(message.text)).group()


def _request_code(client, phone: str = MOBILE):
    return client.post("/accounts/login/code/", {"phone": phone})


def test_the_login_page_offers_both_ways(client_a):
    page = client_a.get("/accounts/login/").content.decode()
    assert "ورود کارکنان" in page and "پست الکترونیک" in page and "گذرواژه" in page
    assert "ورود شهروندان با شماره همراه" in page and 'action="/accounts/login/code/"' in page


def test_first_sign_in_creates_a_citizen_who_cannot_enter_the_staff_area(client_a, tenant_a):
    response = _request_code(client_a, "۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/code/confirm/")
    with schema_context(tenant_a.schema_name):
        citizen = User.objects.get(mobile=MOBILE)
        assert (citizen.role, citizen.email, citizen.mobile_verified, citizen.has_usable_password()) == ("citizen", None, False, False)
    code = _code_sent(tenant_a.schema_name)

    wrong = client_a.post("/accounts/login/code/confirm/", {"code": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200 and "کد درست نیست." in wrong.content.decode()

    right = client_a.post("/accounts/login/code/confirm/", {"code": code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))})
    assert right.status_code == 302 and right["Location"] == "/my/requests/"  # «مشاهده سوابق درخواست‌ها»
    assert client_a.get("/").wsgi_request.user.pk == citizen.pk
    with schema_context(tenant_a.schema_name):
        citizen.refresh_from_db()
        assert citizen.mobile_verified
    assert client_a.get("/staff/").status_code == 403


def test_the_next_sign_in_finds_the_same_citizen(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        citizen = user_make(email=None, mobile=MOBILE, role=User.Role.CITIZEN, mobile_verified=True, password=None)
    _request_code(client_a, "+989121234567")
    client_a.post("/accounts/login/code/confirm/", {"code": _code_sent(tenant_a.schema_name)})
    assert client_a.get("/").wsgi_request.user.pk == citizen.pk
    with schema_context(tenant_a.schema_name):
        assert User.objects.filter(mobile=MOBILE).count() == 1


def test_a_bad_number_gets_a_persian_message(client_a, tenant_a):
    response = _request_code(client_a, "021-22223333")
    assert response.status_code == 200 and "شماره همراه باید به شکل" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not User.objects.filter(role=User.Role.CITIZEN).exists() and not SmsMessage.objects.exists()


def test_staff_cannot_sign_in_by_code_with_their_e_mail(client_a, tenant_a):
    response = client_a.post("/accounts/login/code/", {"email": "admin@alpha.test"})
    assert response.status_code == 200 and "شماره همراه را وارد کنید" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        assert not SmsMessage.objects.exists()


def test_a_staff_members_number_is_not_a_way_in(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="clerk@alpha.test", mobile=MOBILE, role=User.Role.CLERK, password=None)
    assert _request_code(client_a).status_code == 302  # says nothing about who owns the number
    with schema_context(tenant_a.schema_name):
        assert not SmsMessage.objects.exists() and User.objects.filter(mobile=MOBILE).count() == 1


def test_too_many_wrong_codes_end_the_attempt(client_a, tenant_a, settings):
    _request_code(client_a)
    code = _code_sent(tenant_a.schema_name)
    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS):
        client_a.post("/accounts/login/code/confirm/", {"code": f"{(int(code) + 1) % 10**6:06d}"})
    client_a.post("/accounts/login/code/confirm/", {"code": code})
    assert not client_a.get("/").wsgi_request.user.is_authenticated


def test_citizens_do_not_sign_in_on_the_platform_host(public_client):
    response = _request_code(public_client)
    assert response.status_code == 200 and "درگاه شهرداری یا دهیاری" in response.content.decode()
    assert not SmsMessage.objects.exists()


def test_an_alpha_citizen_is_nobody_on_beta(client_a, client_b, tenant_a, tenant_b):
    _request_code(client_a)
    code = _code_sent(tenant_a.schema_name)
    # Alpha's code on beta: beta has no sign-in under way for this browser.
    on_beta = client_b.post("/accounts/login/code/confirm/", {"code": code})
    assert on_beta.status_code == 302 and not client_b.get("/").wsgi_request.user.is_authenticated

    client_a.post("/accounts/login/code/confirm/", {"code": code})
    assert client_a.get("/").wsgi_request.user.is_authenticated
    # Alpha's session cookie on beta's host: sessions and users live in each tenant's schema.
    client_b.cookies = client_a.cookies
    assert not client_b.get("/").wsgi_request.user.is_authenticated
    with schema_context(tenant_b.schema_name):
        assert not User.objects.filter(mobile=MOBILE).exists()


def test_a_wrong_code_stays_in_its_box_to_be_corrected(client_a, tenant_a):
    _request_code(client_a)
    code = _code_sent(tenant_a.schema_name)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = client_a.post("/accounts/login/code/confirm/", {"code": wrong}).content.decode()
    assert "کد درست نیست" in page and f'value="{wrong}"' in page
