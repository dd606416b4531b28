from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tenants.models import Province, Tenant


# The example is a Latin label to type as it is: marked so that no translator touches it.
SLUG_HELP = lazy(lambda: format_html("{} <span dir=\"ltr\" translate=\"no\">kashan</span>", _("حروف کوچک لاتین، رقم و خط تیره؛ مثلاً")), SafeString)()


class OnboardForm(forms.Form):
    name = forms.CharField(label=_("نام مشترک"), max_length=200, help_text=_("مثلاً: شهرداری کاشان"))
    slug = forms.CharField(label=_("نشانی کوتاه (زیردامنه)"), max_length=40, help_text=SLUG_HELP)
    kind = forms.ChoiceField(label=_("نوع"), choices=Tenant.Kind.choices)
    province = forms.ModelChoiceField(label=_("استان"), queryset=Province.objects.all(), to_field_name="code", empty_label=_("انتخاب کنید"))
    county = forms.CharField(label=_("شهرستان"), max_length=100, required=False)
    national_id = forms.CharField(label=_("شناسه ملی"), max_length=11, required=False)
    address = forms.CharField(label=_("نشانی"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    phone = forms.CharField(label=_("تلفن"), max_length=20, required=False)
    admin_email = forms.EmailField(label=_("پست الکترونیک نخستین مدیر"))
    admin_name = forms.CharField(label=_("نام نخستین مدیر"), max_length=150, required=False)


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("دامنه اختصاصی"), max_length=253, help_text=_("مثلاً: e.kashan.ir"))
    verified = forms.BooleanField(label=_("رکورد DNS بررسی و تأیید شده است"), required=False)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("جستجوی نام"), required=False)
    province = forms.ModelChoiceField(label=_("استان"), queryset=Province.objects.all(), to_field_name="code", required=False, empty_label=_("همه استان‌ها"))


class ConsoleSearchForm(DirectorySearchForm):
    status = forms.ChoiceField(label=_("وضعیت"), choices=[("", _("همه"))] + list(Tenant.Status.choices), required=False)
