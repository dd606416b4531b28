"""Citizens' sign-in forms: allauth's login by code, with the mobile number only."""

from __future__ import annotations

from allauth.account.forms import ConfirmLoginCodeForm, RequestLoginCodeForm
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import error_codes
from accounts.services import citizen_register_by_mobile
from lib.identifiers import clean_mobile
from lib.persian import to_ascii_digits


class MobileField(forms.CharField):
    """An Iranian mobile number, stored as 09xxxxxxxxx (Persian digits and +98 accepted)."""

    def __init__(self, **kwargs):
        kwargs.pop("validators", None)
        kwargs.setdefault("label", gettext_lazy("شماره همراه"))
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "type": "tel", "dir": "ltr", "autocomplete": "tel", "inputmode": "tel", "placeholder": "09xxxxxxxxx",
        }))
        kwargs.setdefault("error_messages", {"required": gettext_lazy("شماره همراه را وارد کنید.")})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return clean_mobile(value) if value else value


class CitizenRequestLoginCodeForm(RequestLoginCodeForm):
    """Mobile number only (staff keep e-mail and password). A number new to this tenant gets a
    citizen account, created once the rate limits let the request through; it counts as
    verified only when the code comes back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("email", None)
        self.fields["phone"].required = True

    def clean_phone(self) -> str:
        if connection.schema_name == "public":
            raise ValidationError(_("ورود شهروندان در درگاه شهرداری یا دهیاری خودشان است."), code=error_codes.PUBLIC_HOST)
        phone = super().clean_phone()
        if phone and self._user is None:
            self._user = citizen_register_by_mobile(mobile=phone)
        return phone


class CitizenConfirmLoginCodeForm(ConfirmLoginCodeForm):
    """The code as typed on a Persian keyboard is still the code."""

    def clean_code(self) -> str:
        self.cleaned_data["code"] = to_ascii_digits(self.cleaned_data["code"]).strip()
        return super().clean_code()
