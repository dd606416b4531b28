"""One-time codes: the right code works once, wrong tries are limited, codes expire, sending
is rate-limited in Persian, and a code is bound to its subject and its tenant. The code is
read from the SMS in the outbox, as the citizen would read it."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from lib.persian import to_ascii_digits
from notifications.models import OneTimeCode, SmsMessage
from notifications.otp import otp_send, otp_verify

MOBILE = "09121234567"
TRACKING = "4000123456789017"


def _sent_code() -> str:
    message = SmsMessage.objects.filter(purpose="otp:tracking").latest("id")
    assert message.mobile == MOBILE
    return re.search(r"\d{6}", to_ascii_digits(message.text)).group()


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def in_alpha(tenant_a):
    with schema_context(tenant_a.schema_name):
        yield


def test_the_right_code_works_once(in_alpha):
    otp_send(mobile="+98 912 123 4567", purpose="tracking", subject=TRACKING)
    code = _sent_code()
    assert OneTimeCode.objects.get().code_hash != code  # only a keyed hash is stored
    assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)
    assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)


def test_persian_digits_are_accepted(in_alpha):
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING)
    assert "کد تایید" in SmsMessage.objects.get().text
    persian = _sent_code().translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert otp_verify(mobile="۰۹۱۲۱۲۳۴۵۶۷", purpose="tracking", subject=TRACKING, code=persian)


def test_wrong_codes_are_limited_then_the_code_is_dead(in_alpha, settings):
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING)
    code = _sent_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=_other(code))
    assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)
    assert OneTimeCode.objects.get().attempts == settings.OTP_MAX_ATTEMPTS


def test_a_few_wrong_tries_still_leave_the_right_code(in_alpha):
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING)
    code = _sent_code()
    assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=_other(code))
    assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)


def test_a_code_expires_after_ten_minutes(in_alpha):
    sent_at = timezone.now()
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING, now=sent_at)
    code = _sent_code()
    late = sent_at + timedelta(minutes=10, seconds=1)
    assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code, now=late)
    assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code, now=sent_at + timedelta(minutes=9))


def test_a_code_is_bound_to_its_subject_and_purpose(in_alpha):
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING)
    code = _sent_code()
    assert not otp_verify(mobile=MOBILE, purpose="tracking", subject="4000123456789025", code=code)
    assert not otp_verify(mobile=MOBILE, purpose="answer", subject=TRACKING, code=code)
    assert not otp_verify(mobile="09351234567", purpose="tracking", subject=TRACKING, code=code)
    assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)


def test_one_code_a_minute_said_in_persian_and_a_new_code_replaces_the_old(in_alpha):
    start = timezone.now()
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING, now=start)
    first = _sent_code()
    with pytest.raises(ValidationError) as caught:
        otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING, now=start + timedelta(seconds=30))
    assert caught.value.code == "otp_too_soon" and "یک دقیقه" in caught.value.messages[0]
    otp_send(mobile=MOBILE, purpose="tracking", subject="4000123456789025", now=start + timedelta(seconds=30))  # another request
    otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING, now=start + timedelta(seconds=61))
    second = _sent_code()
    later = start + timedelta(seconds=62)
    if first != second:
        assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=first, now=later)
    assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=second, now=later)


def test_codes_per_hour_are_capped(in_alpha, settings):
    start = timezone.now()
    for index in range(settings.OTP_HOURLY_LIMIT):
        otp_send(mobile=MOBILE, purpose="tracking", subject=f"subject-{index}", now=start)
    with pytest.raises(ValidationError) as caught:
        otp_send(mobile=MOBILE, purpose="tracking", subject="one-more", now=start)
    assert caught.value.code == "otp_hourly_limit" and "یک ساعت" in caught.value.messages[0]


def test_a_bad_number_gets_a_persian_message(in_alpha):
    with pytest.raises(ValidationError) as caught:
        otp_send(mobile="12345", purpose="tracking", subject=TRACKING)
    assert "شماره همراه" in caught.value.messages[0]
    assert not otp_verify(mobile="12345", purpose="tracking", subject=TRACKING, code="123456")


def test_a_code_from_alpha_does_not_verify_in_beta(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        otp_send(mobile=MOBILE, purpose="tracking", subject=TRACKING)
        code = _sent_code()
    with schema_context(tenant_b.schema_name):
        assert not otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)
        assert not SmsMessage.objects.exists()
    with schema_context(tenant_a.schema_name):
        assert otp_verify(mobile=MOBILE, purpose="tracking", subject=TRACKING, code=code)
