"""Citizens' sign-in code: the page says «پیامک شد» only when Kavenegar (a local fake) took the
message; otherwise it says the code waits in the outbox, until when, and when to ask again.
The requests commit (as in life: web makes the first attempt once the code is committed), so
the rows they leave are removed after each test."""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from lib.persian import to_ascii_digits, to_persian_digits
from notifications.models import SmsMessage
from tests.clients import host_client
from tests.kavenegar import API_KEY

HOST = "alpha.localhost"


@pytest.fixture
def committed(django_db_setup, django_db_blocker, settings, kavenegar):
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    numbers = []
    with django_db_blocker.unblock():
        yield numbers
        connection.set_schema_to_public()
        with schema_context("t_alpha"):
            SmsMessage.objects.filter(mobile__in=numbers).delete()
            User.objects.filter(mobile__in=numbers).delete()


def _messages(page: str) -> str:
    return " ".join(re.findall(r'<ul class="messages">(.*?)</ul>', page, re.S))


def test_gateway_down_the_page_says_the_code_waits(committed, kavenegar):  # noqa: F811
    committed.append("09121230101")
    kavenegar.down = True
    client = host_client(HOST)
    response = client.post("/accounts/login/code/", {"phone": "09121230101"}, follow=True)
    notice = _messages(response.content.decode())
    assert "پیامک شد" not in notice
    assert f"کد ورود به شماره {to_persian_digits('09121230101')} هنوز پیامک نشده است: در صف ارسال است" in notice
    assert "که اعتبارش تمام می‌شود فرستاده نشود، دیگر فرستاده نمی‌شود" in notice and "دوباره درخواست کنید" in notice
    with schema_context("t_alpha"):
        sms = SmsMessage.objects.get(mobile="09121230101", purpose="login_code")
    assert (sms.status, sms.attempts, len(kavenegar.received)) == ("queued", 1, 1)
    assert sms.expires_at is not None


def test_gateway_up_the_page_says_sent_and_the_code_signs_in(committed, kavenegar):  # noqa: F811
    committed.append("09121230102")
    client = host_client(HOST)
    response = client.post("/accounts/login/code/", {"phone": "09121230102"}, follow=True)
    assert f"کد ورود به شماره {to_persian_digits('09121230102')} پیامک شد." in _messages(response.content.decode())
    assert len(kavenegar.received) == 1 and kavenegar.received[0]["form"]["receptor"] == "09121230102"
    code = re.search(r"\d{6}", to_ascii_digits(kavenegar.received[0]["form"]["message"])).group(0)
    assert client.post("/accounts/login/code/confirm/", {"code": code}).status_code == 302
    assert client.get("/").wsgi_request.user.is_authenticated
