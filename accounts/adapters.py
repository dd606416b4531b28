from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from mizban.identifiers import normalize_mobile
from mizban.persian import to_persian_digits
from notifications.services import sms_queue


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

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        if connection.schema_name == "public":
            return reverse("console:home")
        if request.user.is_authenticated and request.user.role == User.Role.CITIZEN:
            return reverse("intake:my_requests")
        return reverse("staff:home")

    def phone_form_field(self, **kwargs):
        from accounts.forms import MobileField

        return MobileField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_mobile(phone) or phone

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        sms_queue(mobile=phone, text=_("کد ورود شما به میز خدمت: %(code)s\nاین کد ۱۰ دقیقه اعتبار دارد.") % {"code": to_persian_digits(code)}, purpose="login_code")

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
