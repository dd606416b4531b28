"""The forms of the request wizard (seed 002), each with Persian messages at the field."""

from __future__ import annotations

import jdatetime
from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Service, Unit
from intake import error_codes
from lib.identifiers import clean_legal_national_id, clean_mobile, clean_national_code
from lib.jalali import MONTH_NAMES, jalali_to_gregorian
from lib.persian import normalize_text, to_ascii_digits, to_persian_digits



class NormalizedForm(forms.Form):
    def clean(self):
        data = super().clean()
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = "\n".join(normalize_text(line) for line in value.splitlines()) if "\n" in value else normalize_text(value)
        return data


class ChooseServiceForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("واحد سازمانی"), queryset=Unit.objects.none(), empty_label=_("انتخاب کنید"))
    service = forms.ModelChoiceField(label=_("خدمت"), queryset=Service.objects.none(), empty_label=_("انتخاب کنید"), to_field_name="national_id")
    agree = forms.BooleanField(label=_("قوانین و آیتم‌ها را مطالعه نموده‌ام و موافقم"), error_messages={"required": _("برای ادامه باید قوانین را بپذیرید.")})

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        offering = Service.objects.filter(status=Service.Status.PUBLISHED, online_request=True)
        self.fields["unit"].queryset = Unit.objects.filter(services__in=offering).distinct()
        self.fields["service"].queryset = offering.filter(units=unit) if unit else offering

    def clean(self):
        data = super().clean()
        unit, service = data.get("unit"), data.get("service")
        if unit and service and not service.units.filter(pk=unit.pk).exists():
            self.add_error("service", forms.ValidationError(_("این خدمت در واحد انتخاب‌شده ارائه نمی‌شود."), code=error_codes.SERVICE_NOT_OFFERED_IN_UNIT))
        return data


class DetailsForm(NormalizedForm):
    text = forms.CharField(label=_("متن درخواست"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                           error_messages={"required": _("متن درخواست را بنویسید.")})


class ApplicantForm(NormalizedForm):
    applicant_kind = forms.ChoiceField(label=_("متقاضی"), choices=[("natural", _("شخص حقیقی")), ("legal", _("شخص حقوقی (شرکت)"))],
                                       widget=forms.RadioSelect, initial="natural")
    company_national_id = forms.CharField(label=_("شناسه ملی شرکت"), max_length=20, required=False)
    company_name = forms.CharField(label=_("نام شرکت"), max_length=200, required=False)
    national_code = forms.CharField(label=_("کد ملی"), max_length=20, error_messages={"required": _("کد ملی را وارد کنید.")})
    first_name = forms.CharField(label=_("نام"), max_length=100, error_messages={"required": _("نام را وارد کنید.")})
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=100, error_messages={"required": _("نام خانوادگی را وارد کنید.")})
    mobile = forms.CharField(label=_("تلفن همراه"), max_length=20, error_messages={"required": _("شماره همراه را وارد کنید؛ پیگیری با آن انجام می‌شود.")})
    landline = forms.CharField(label=_("تلفن ثابت"), max_length=20, required=False)
    email = forms.EmailField(label=_("پست الکترونیک"), required=False, error_messages={"invalid": _("پست الکترونیک درست نیست.")})
    address = forms.CharField(label=_("نشانی"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=500)

    def clean_national_code(self):
        return clean_national_code(self.cleaned_data["national_code"])

    def clean_mobile(self):
        return clean_mobile(self.cleaned_data["mobile"])

    def clean_landline(self):
        value = to_ascii_digits(self.cleaned_data["landline"]).replace("-", "").replace(" ", "")
        if value and not (value.isdigit() and 8 <= len(value) <= 11):
            raise forms.ValidationError(_("تلفن ثابت را با پیش‌شماره و فقط با رقم بنویسید."), code=error_codes.INVALID_LANDLINE)
        return value

    def clean(self):
        data = super().clean()
        if data.get("applicant_kind") == "legal":
            try:
                data["company_national_id"] = clean_legal_national_id(data.get("company_national_id", ""))
            except forms.ValidationError as error:
                self.add_error("company_national_id", error)
            if not data.get("company_name"):
                self.add_error("company_name", forms.ValidationError(_("نام شرکت را وارد کنید."), code=error_codes.COMPANY_NAME_REQUIRED))
        else:
            data["company_national_id"], data["company_name"] = "", ""
        return data


class JalaliDateWidget(forms.MultiWidget):
    """Day, month (by its Persian name) and year: a Jalali date picker that works everywhere."""

    template_name = "intake/widgets/jalali_date.html"

    def __init__(self, attrs=None):
        today = jdatetime.date.today()
        days = [("", "روز")] + [(d, to_persian_digits(d)) for d in range(1, 32)]
        months = [("", "ماه")] + [(i + 1, name) for i, name in enumerate(MONTH_NAMES)]
        years = [("", "سال")] + [(y, to_persian_digits(y)) for y in range(today.year, today.year - 6, -1)]
        super().__init__([forms.Select(choices=days), forms.Select(choices=months), forms.Select(choices=years)], attrs)

    def decompress(self, value):
        if not value:
            return [None, None, None]
        day = jdatetime.date.fromgregorian(date=value) if not isinstance(value, str) else jdatetime.date.fromisoformat(value)
        return [day.day, day.month, day.year]


class JalaliDateField(forms.MultiValueField):
    widget = JalaliDateWidget
    default_error_messages = {
        "incomplete": _("روز، ماه و سال مراجعه را کامل انتخاب کنید."),
        "invalid": _("تاریخ را از فهرست‌ها انتخاب کنید."),
    }

    def __init__(self, **kwargs):
        fields = (forms.IntegerField(), forms.IntegerField(), forms.IntegerField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or not any(values):
            return None
        if not all(values):
            raise forms.ValidationError(_("روز، ماه و سال مراجعه را کامل انتخاب کنید."), code=error_codes.VISIT_DATE_INCOMPLETE)
        day, month, year = values
        try:
            return jalali_to_gregorian(year, month, day)
        except ValueError as error:
            raise forms.ValidationError(_("این تاریخ در تقویم وجود ندارد."), code=error_codes.VISIT_DATE_NOT_IN_CALENDAR) from error


class VisitForm(NormalizedForm):
    """Optional as a whole: only when the citizen has already been to the organization."""

    visit_unit = forms.ModelChoiceField(label=_("واحد مراجعه‌شده"), queryset=Unit.objects.all(), required=False, empty_label=_("—"))
    clerk_name = forms.CharField(label=_("نام کارمند"), max_length=100, required=False)
    clerk_position = forms.CharField(label=_("سمت کارمند"), max_length=100, required=False)
    visit_date = JalaliDateField(label=_("تاریخ مراجعه"), required=False)
    previous_result = forms.CharField(label=_("نتیجه مراجعه قبلی"), max_length=500, required=False)
    description = forms.CharField(label=_("توضیحات"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False)

    def clean_visit_date(self):
        value = self.cleaned_data.get("visit_date")
        if value and value > jdatetime.date.today().togregorian():
            raise forms.ValidationError(_("تاریخ مراجعه نمی‌تواند در آینده باشد."), code=error_codes.VISIT_DATE_IN_FUTURE)
        return value


class UploadForm(forms.Form):
    document = forms.FileField(label=_("پرونده"), error_messages={"required": _("پرونده‌ای انتخاب نشده است.")})
