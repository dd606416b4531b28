from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import NationalService


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("شناسه یا عنوان"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("پیشوند شناسه یا واژه‌های عنوان")}),
    )
    status = forms.ChoiceField(label=_("وضعیت"), required=False, choices=[("", _("همه"))] + NationalService.Status.choices)
    type = forms.ChoiceField(label=_("نوع خدمت"), required=False, choices=[("", _("همه"))] + NationalService.Type.choices)
    missing = forms.BooleanField(label=_("فقط غایب از خروجی"), required=False)
    short_id = forms.BooleanField(label=_("فقط شناسه‌های ۱۰ رقمی"), required=False)
