"""The staff's forms beside the citizen's: the in-person desk's choice of unit and service, and
what the actions on a request read from their forms. Those parse only: the rules stay in the
services (workflow, asking, inquiries, letters), so text is passed on as typed (not stripped)
and an empty file reaches the upload check, which names it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import Service, Unit
from intake import error_codes
from intake.citizen.forms import ChooseServiceForm
from lib.jalali import jalali_parse
from lib.persian import to_ascii_digits


class DeskChooseForm(ChooseServiceForm):
    """The in-person desk: any published service (walk-ins are not limited to the online ones),
    the rules read to the citizen, and the citizen's consent."""

    consent = forms.BooleanField(
        label=_("رضایت متقاضی: متقاضی رضایت داده است که درخواستش به نیابت از او در سامانه ثبت شود"),
        error_messages={"required": _("رضایت متقاضی برای ثبت درخواست به نیابت از او لازم است.")},
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        offering = Service.objects.filter(status=Service.Status.PUBLISHED)
        self.fields["unit"].queryset = Unit.objects.filter(services__in=offering).distinct()
        self.fields["service"].queryset = offering.filter(units=unit) if unit else offering
        self.fields["agree"].label = _("قوانین و آیتم‌ها برای متقاضی خوانده شد و موافق است")


def _text(**kwargs) -> forms.CharField:
    return forms.CharField(required=False, strip=False, **kwargs)


def _file() -> forms.FileField:
    return forms.FileField(required=False, allow_empty_file=True)


class AssignForm(forms.Form):
    assignee = _text()

    def clean_assignee(self) -> int | None:
        """A user's id, or None to take the request back from whoever has it."""
        chosen = self.cleaned_data["assignee"]
        return int(chosen) if chosen.isdigit() else None


class AcceptForm(forms.Form):
    note = forms.CharField(required=False)


class MoveForm(forms.Form):
    stage = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False)
    note_visible = forms.BooleanField(required=False)


class AskForm(forms.Form):
    text = _text()


class InquirySendForm(forms.Form):
    body = _text()
    sent_on = _text()
    due_on = _text()
    letter_text = _text()
    letter_file = _file()

    def clean(self):
        data = super().clean()
        data["sent_on"], data["due_on"] = jalali_parse(data.get("sent_on")), jalali_parse(data.get("due_on"))
        if not (data["sent_on"] and data["due_on"]):
            raise ValidationError("تاریخ ارسال و مهلت پاسخ را به تاریخ خورشیدی بنویسید، مانند ۱۴۰۳/۰۵/۰۱.", code=error_codes.INQUIRY_DATES_INVALID)
        return data


class InquiryReplyForm(forms.Form):
    replied_on = _text()
    reply_text = _text()

    def clean_replied_on(self):
        replied_on = jalali_parse(self.cleaned_data["replied_on"])
        if not replied_on:
            raise ValidationError("تاریخ پاسخ را به تاریخ خورشیدی بنویسید.", code=error_codes.ANSWER_DATE_INVALID)
        return replied_on


class LetterIssueForm(forms.Form):
    outcome = _text()
    legal_basis = _text()
    content = _text()
    objection_route = _text()
    objection_days = _text()
    notes = _text()
    attachment = _file()

    def clean_objection_days(self) -> int | None:
        value = to_ascii_digits(self.cleaned_data["objection_days"]).strip()
        if not value:
            return None
        if not value.isdigit():
            raise ValidationError("مهلت اعتراض را به روز و با رقم بنویسید.", code=error_codes.OBJECTION_DAYS_INVALID)
        return int(value)


def form_refusal(form: forms.Form) -> ValidationError:
    """A refused form's errors as one ValidationError, for the request page's message."""
    return ValidationError([error for errors in form.errors.as_data().values() for error in errors])
