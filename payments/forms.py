"""The gateway form of /staff/payments/: credentials are write-only (never rendered back)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Fee
from payments.models import Gateway
from portal_themes.templatetags.persian import fa_number


class FeeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, fee):
        return f"{fee.service.title} — {fee.title} — {fa_number(fee.amount_rial)} ریال"


class GatewayForm(forms.Form):
    title = forms.CharField(label=_("عنوان درگاه"), max_length=100)
    provider = forms.ChoiceField(label=_("ارائه‌دهنده"), choices=Gateway.Provider.choices)
    mode = forms.ChoiceField(label=_("حالت"), choices=Gateway.Mode.choices, initial=Gateway.Mode.TEST,
                             help_text=_("در حالت آزمایشی پرداخت‌ها در گزارش درآمد شمرده نمی‌شوند."))
    merchant_id = forms.CharField(label=_("شناسه پذیرنده زرین‌پال (مرچنت)"), max_length=64, required=False,
                                  widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                  help_text=_("فقط برای زرین‌پال. پس از ذخیره دیگر نمایش داده نمی‌شود؛ برای نگه داشتن مقدار قبلی خالی بگذارید."))
    terminal_id = forms.CharField(label=_("شماره پایانه (ترمینال) سامان"), max_length=32, required=False,
                                  widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                                  help_text=_("فقط برای بانک سامان. پس از ذخیره دیگر نمایش داده نمی‌شود؛ برای نگه داشتن مقدار قبلی خالی بگذارید."))
    fees = FeeChoice(label=_("هزینه‌هایی که این درگاه دریافت می‌کند"), queryset=Fee.objects.none(), required=False,
                     widget=forms.CheckboxSelectMultiple)
    collects_other_fees = forms.BooleanField(label=_("درگاه پیش‌فرض: هزینه‌هایی را هم که درگاهی برایشان تعیین نشده دریافت کند"), required=False)
    is_active = forms.BooleanField(label=_("فعال"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fees"].queryset = Fee.objects.select_related("service").order_by("service__national_id", "order", "id")

    def credentials(self) -> dict[str, str]:
        key = "merchant_id" if self.cleaned_data["provider"] == Gateway.Provider.ZARINPAL else "terminal_id"
        return {key: self.cleaned_data.get(key, "")}


def gateway_initial(gateway: Gateway) -> dict:
    return {
        "title": gateway.title, "provider": gateway.provider, "mode": gateway.mode, "fees": list(gateway.fees.all()),
        "collects_other_fees": gateway.collects_other_fees, "is_active": gateway.is_active,
    }
