"""One-time codes sent by SMS, each bound to one mobile number, one purpose and one subject
(for example the tracking code of a request): 6 random digits, kept only as an HMAC keyed
with SECRET_KEY, valid OTP_TTL_SECONDS, single use, OTP_MAX_ATTEMPTS wrong tries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lib.identifiers import clean_mobile, normalize_mobile
from lib.persian import to_ascii_digits, to_persian_digits
from notifications import error_codes
from notifications.models import OneTimeCode, SmsMessage
from notifications.services import sms_expire, sms_queue


def _code_hash(*, mobile: str, purpose: str, subject: str, code: str) -> str:
    # A 6-digit code is one in a million: without the key, a copy of the table reveals nothing.
    return salted_hmac("mizban.otp", f"{connection.schema_name}|{mobile}|{purpose}|{subject}|{code}", algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class OtpSent:
    """What a page may say after `otp_send`: `status` is the outbox state once this process
    has tried the gateway ("sent", or "queued"/"failed" while it was not handed over), the
    code dies at `expires_at` (and is never sent after it), and a new one may be asked for
    from `retry_at` (a whole minute, as the page shows it)."""

    status: str
    expires_at: datetime
    retry_at: datetime

    @property
    def is_out(self) -> bool:
        return self.status in (SmsMessage.Status.SENT, SmsMessage.Status.DELIVERED)


def otp_send(*, mobile: str, purpose: str, subject: str, now: datetime | None = None) -> OtpSent:
    """Send a new code by SMS; it replaces any earlier one for the same subject. At most one
    per mobile and subject per OTP_RESEND_SECONDS, and OTP_HOURLY_LIMIT per mobile, so that
    the form cannot be used to flood someone's phone. The first attempt is made here, once
    the code is committed (see `sms_queue(send_now=True)`), so the answer is the truth."""
    now = now or timezone.now()
    message = _otp_issue(mobile=mobile, purpose=purpose, subject=subject, now=now)
    status = SmsMessage.objects.filter(pk=message.pk).values_list("status", flat=True).first()
    return OtpSent(status=status, expires_at=message.expires_at, retry_at=otp_retry_at(now))


def otp_retry_at(now: datetime) -> datetime:
    """When a new code may be asked for, rounded up to the minute a page can show."""
    retry_at = now + timedelta(seconds=settings.OTP_RESEND_SECONDS)
    if retry_at.second or retry_at.microsecond:
        retry_at = retry_at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return retry_at


@transaction.atomic
def _otp_issue(*, mobile: str, purpose: str, subject: str, now: datetime) -> SmsMessage:
    mobile = clean_mobile(mobile)
    with connection.cursor() as cursor:  # two sends at once for the same number wait in line
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"otp|{connection.schema_name}|{mobile}"])
    codes = OneTimeCode.objects.filter(mobile=mobile)
    if codes.filter(purpose=purpose, subject=subject, created_at__gt=now - timedelta(seconds=settings.OTP_RESEND_SECONDS)).exists():
        raise ValidationError(
            _("همین چند لحظه پیش برای این شماره کد تایید درخواست شد؛ یک دقیقه دیگر دوباره درخواست کنید."), code=error_codes.OTP_TOO_SOON
        )
    if codes.filter(created_at__gt=now - timedelta(hours=1)).count() >= settings.OTP_HOURLY_LIMIT:
        raise ValidationError(_("برای این شماره کد تایید بیش از حد درخواست شده است؛ یک ساعت دیگر دوباره تلاش کنید."), code=error_codes.OTP_HOURLY_LIMIT)
    replaced = codes.filter(purpose=purpose, subject=subject, used_at__isnull=True)
    sms_expire(message_ids=list(replaced.exclude(sms_message=None).values_list("sms_message", flat=True)))
    replaced.update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    text = _("کد تایید میز خدمت: %(code)s\nاین کد ۱۰ دقیقه اعتبار دارد؛ آن را به کسی ندهید.") % {"code": to_persian_digits(code)}
    message = sms_queue(mobile=mobile, text=text, purpose=f"otp:{purpose}",
                        expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS), send_now=True)
    OneTimeCode.objects.create(
        mobile=mobile, purpose=purpose, subject=subject, created_at=now, sms_message=message,
        code_hash=_code_hash(mobile=mobile, purpose=purpose, subject=subject, code=code),
    )
    return message


@transaction.atomic
def otp_verify(*, mobile: str, purpose: str, subject: str, code: str, now: datetime | None = None) -> bool:
    """True once for the right code within its time; each wrong try counts, and after
    OTP_MAX_ATTEMPTS the code is dead even for the right digits."""
    mobile = normalize_mobile(mobile)
    code = to_ascii_digits(str(code or "")).strip()
    if not mobile or not code:
        return False
    now = now or timezone.now()
    row = (
        OneTimeCode.objects.select_for_update()
        .filter(mobile=mobile, purpose=purpose, subject=subject, used_at__isnull=True,
                created_at__gt=now - timedelta(seconds=settings.OTP_TTL_SECONDS), created_at__lte=now)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.attempts >= settings.OTP_MAX_ATTEMPTS:
        return False
    if constant_time_compare(row.code_hash, _code_hash(mobile=mobile, purpose=purpose, subject=subject, code=code)):
        row.used_at = now
        row.save(update_fields=["used_at"])
        return True
    row.attempts += 1
    row.save(update_fields=["attempts"])
    return False
