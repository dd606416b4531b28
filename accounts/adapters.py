from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from mizban.identifiers import normalize_mobile
from mizban.persian import to_persian_digits
from notifications.services import sms_queue


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by invitation only; citizens sign in with their mobile
    number and a code sent by SMS (the five phone methods below); sign-in leads to the
    right home."""

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
