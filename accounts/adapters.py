from datetime import timedelta
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import MobileField
from accounts.models import User
from lib.client_ip import client_ip
from lib.hosts import host_url
from lib.identifiers import normalize_mobile
from lib.persian import to_persian_digits
from notifications.models import SmsMessage
from notifications.otp import otp_retry_at
from notifications.services import sms_queue

LOGIN_CODE_SMS_KEY = "accounts_login_code_sms"


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by invitation only; citizens sign in with their mobile
    number and a code sent by SMS (the five phone methods below); sign-in leads to the
    right home."""

    # allauth's Persian catalogue speaks informally («وارد کنی») and calls a link a «توکن»:
    # the messages a user meets are said here, formally, as the rest of the site speaks.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": gettext_lazy("این حساب غیرفعال است؛ با مدیر سامانه دستگاه خود تماس بگیرید."),
        "email_password_mismatch": gettext_lazy("پست الکترونیک یا گذرواژه درست نیست."),
        "phone_password_mismatch": gettext_lazy("شماره همراه یا گذرواژه درست نیست."),
        "enter_current_password": gettext_lazy("گذرواژه کنونی درست نیست."),  # said when it does not match
        "incorrect_code": gettext_lazy("کد درست نیست."),
        "incorrect_password": gettext_lazy("گذرواژه درست نیست."),
        "invalid_or_expired_key": gettext_lazy("این پیوند نامعتبر است یا مهلت آن گذشته است."),
        "invalid_login": gettext_lazy("ورود انجام نشد؛ دوباره تلاش کنید."),
        "invalid_password_reset": gettext_lazy("پیوند تعیین گذرواژه نامعتبر است یا پیش‌تر به کار رفته است."),
        "too_many_login_attempts": gettext_lazy("تلاش‌های ناموفق ورود از حد گذشت؛ کمی بعد دوباره تلاش کنید."),
        "unknown_email": gettext_lazy("این نشانی پست الکترونیک به هیچ حسابی تعلق ندارد."),
        "unknown_phone": gettext_lazy("این شماره همراه به هیچ حسابی تعلق ندارد."),
        "cannot_remove_primary_email": gettext_lazy("نشانی اصلی حساب را نمی‌توان حذف کرد."),
        "duplicate_email": gettext_lazy("این نشانی پیش‌تر به همین حساب افزوده شده است."),
        "email_taken": gettext_lazy("این نشانی پست الکترونیک از آن حساب دیگری است."),
        "same_as_current": gettext_lazy("مقدار تازه باید با مقدار کنونی فرق داشته باشد."),
        "rate_limited": gettext_lazy("درخواست‌های شما از حد گذشت؛ کمی بعد دوباره تلاش کنید."),
    }

    def format_email_subject(self, subject: str) -> str:
        """The subject as its template says it, without allauth's "[host:port]" prefix."""
        return subject

    def get_client_ip(self, request) -> str:
        """allauth's per-IP rate limits count the address every other limit counts, trusting
        X-Forwarded-For only from our proxies (lib/client_ip.py)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")  # as allauth does
        return ip

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link on this site's own name with the configured scheme and port, never
        the Host header's port (a client chooses what it sends)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return _site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        if connection.schema_name == "public":
            return reverse("console:home")
        if request.user.is_authenticated and request.user.role == User.Role.CITIZEN:
            return reverse("intake:my_requests")
        return reverse("staff:home")

    def phone_form_field(self, **kwargs):
        return MobileField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_mobile(phone) or phone

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """Tried on the gateway at once (someone is waiting); never sent once the code is dead.
        The outbox row is remembered so that the page says whether it went (add_message)."""
        text = _("کد ورود شما به میز خدمت: %(code)s\nاین کد ۱۰ دقیقه اعتبار دارد.") % {"code": to_persian_digits(code)}
        expires_at = timezone.now() + timedelta(seconds=settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT)
        message = sms_queue(mobile=phone, text=text, purpose="login_code", expires_at=expires_at, send_now=True)
        request = allauth_context.request
        if request is not None and hasattr(request, "session"):
            request.session[LOGIN_CODE_SMS_KEY] = message.pk

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """allauth's «A sign-in code has been sent» is said only when the SMS went out."""
        if message_template == "account/messages/login_code_sent.txt" and (message_context or {}).get("phone"):
            level, message_template, message_context = self._login_code_notice(request, message_context)
        return super().add_message(request, level, message_template, message_context, extra_tags, message)

    def _login_code_notice(self, request, message_context: dict):
        message_id = request.session.pop(LOGIN_CODE_SMS_KEY, None) if hasattr(request, "session") else None
        sms = SmsMessage.objects.filter(pk=message_id).first() if message_id else None
        # No row: the number is a staff member's, so nothing was sent; the page says what it
        # says for a citizen's sent code, as allauth does, so that it reveals no account.
        if sms is None or sms.is_out:
            return messages.SUCCESS, "accounts/messages/login_code_sms_sent.txt", message_context
        context = {**message_context, "sms": sms, "retry_at": otp_retry_at(timezone.now())}
        return messages.WARNING, "accounts/messages/login_code_sms_waiting.txt", context

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.mobile, user.mobile_verified = normalize_mobile(phone), verified
        user.save(update_fields=["mobile", "mobile_verified"])

    def get_phone(self, user):
        return (user.mobile, user.mobile_verified) if user.mobile else None

    def set_phone_verified(self, user, phone: str) -> None:
        if user.mobile == normalize_mobile(phone) and not user.mobile_verified:
            user.mobile_verified = True
            user.save(update_fields=["mobile_verified"])

    def get_user_by_phone(self, phone: str):
        """Citizens only: staff keep signing in with e-mail and password."""
        mobile = normalize_mobile(phone)
        if not mobile:
            return None
        return User.objects.filter(mobile=mobile, role=User.Role.CITIZEN, is_active=True).first()


def _site_url(path: str) -> str:
    """An absolute URL on the host this schema is served on: the tenant's domain the request
    was resolved to (one the database knows, with no port), or the platform's own domain."""
    host = settings.PLATFORM_DOMAIN
    if connection.schema_name != "public":
        host = getattr(connection.tenant, "domain_url", None) or connection.tenant.subdomain
    return host_url(host, path)


class MFAAdapter(DefaultMFAAdapter):
    """Two-step sign-in (TOTP and recovery codes) in the site's own formal Persian."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": gettext_lazy("به حسابی که ورود دومرحله‌ای دارد نمی‌توان نشانی تازه افزود."),
        "cannot_delete_authenticator": gettext_lazy("ورود دومرحله‌ای این حساب را نمی‌توان غیرفعال کرد."),
        "cannot_generate_recovery_codes": gettext_lazy("کد بازیابی تنها پس از فعال کردن ورود دومرحله‌ای ساخته می‌شود."),
        "incorrect_code": gettext_lazy("کد درست نیست؛ کد تازه‌ای را که برنامه رمزساز نشان می‌دهد وارد کنید."),
        "unverified_email": gettext_lazy("پیش از فعال کردن ورود دومرحله‌ای، نشانی پست الکترونیک شما باید تأیید شده باشد."),
    }
