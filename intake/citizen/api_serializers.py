"""What the request API reads and writes. Input is judged by the wizard's own forms
(DetailsForm, ApplicantForm, VisitForm) and file check, so both doors have one set of rules."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from catalog.selectors import online_offer
from intake import error_codes
from lib.api_errors import error_details
from intake.citizen.forms import ApplicantForm, DetailsForm, VisitForm
from intake.citizen.receipts import tracking_url
from intake.citizen.selectors import TrackedRequest
from intake.files import upload_check
from lib.jalali import jalali_format as jdate
from lib.persian import to_ascii_digits
from notifications.models import SmsMessage

STEP_FORMS = {"details": DetailsForm, "applicant": ApplicantForm, "visit": VisitForm}
JALALI_DATE = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{1,2})\s*$")


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class RequestSubmitSerializer(serializers.Serializer):
    service = serializers.CharField(help_text="national ID of a published service (11 digits)",
                                    error_messages={"required": _("شناسه ملی خدمت را وارد کنید."), "blank": _("شناسه ملی خدمت را وارد کنید.")})
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="a unit offering the service; its first unit if left out")
    text = _text(help_text="متن درخواست")
    applicant_kind = _text(help_text="natural (default) or legal")
    national_code = _text()
    first_name = _text()
    last_name = _text()
    mobile = _text()
    landline = _text()
    email = _text()
    address = _text()
    company_national_id = _text(help_text="legal persons only")
    company_name = _text(help_text="legal persons only")
    visit_unit = serializers.IntegerField(required=False, allow_null=True)
    clerk_name = _text()
    clerk_position = _text()
    visit_date = _text(help_text="Jalali, e.g. 1403/05/20")
    previous_result = _text()
    description = _text()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="checked by content, size and count under the card's rules")

    def validate(self, attrs):
        service, unit = _service_and_unit(attrs)
        errors, steps = {}, {}
        for step, form_class in STEP_FORMS.items():
            form = form_class(_form_data(form_class, attrs))
            if form.is_valid():
                steps[step] = _stored(form.cleaned_data)
            else:
                errors.update(_errors(form.errors))
        if errors.get("visit_date") is None and attrs.get("visit_date", "").strip() and not JALALI_DATE.match(to_ascii_digits(attrs["visit_date"])):
            errors["visit_date"] = [ErrorDetail(str(_("تاریخ مراجعه را خورشیدی و به شکل سال/ماه/روز بنویسید، مانند ۱۴۰۳/۰۵/۲۰.")),
                                                code=error_codes.VISIT_DATE_FORMAT)]
        file_errors = _file_errors(service, attrs["files"])
        if file_errors:
            errors["files"] = file_errors
        if errors:
            raise serializers.ValidationError(errors)
        return {"service": service, "unit": unit, "steps": steps, "uploads": attrs["files"]}


def _service_and_unit(attrs):
    # The chooser's offer: published cards with online requests, in this tenant only.
    offer = online_offer(to_ascii_digits(attrs["service"]).strip())
    if offer is None:
        raise serializers.ValidationError({"service": [_("این خدمت در این درگاه برای درخواست برخط ارائه نمی‌شود.")]}, code=error_codes.SERVICE_NOT_OFFERED_ONLINE)
    unit = offer.unit(attrs.get("unit"))
    if unit is None:
        raise serializers.ValidationError({"unit": [_("این خدمت در واحد انتخاب‌شده ارائه نمی‌شود.")]}, code=error_codes.SERVICE_NOT_OFFERED_IN_UNIT)
    return offer.service, unit


def _form_data(form_class, attrs) -> dict:
    data = {}
    for name in form_class.base_fields:
        value = attrs.get(name)
        if name == "visit_date":
            match = JALALI_DATE.match(to_ascii_digits(value or ""))
            if match:  # the date picker's three lists: day, month, year
                data.update(visit_date_0=match[3], visit_date_1=match[2], visit_date_2=match[1])
        elif value is not None:
            data[name] = str(value)
    if "applicant_kind" in form_class.base_fields and not data.get("applicant_kind"):
        data["applicant_kind"] = "natural"
    return data


def _stored(cleaned: dict) -> dict:
    """As the wizard keeps a step: objects by their key, dates in ISO."""
    return {key: value.pk if hasattr(value, "pk") else value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in cleaned.items()}


def _errors(form_errors: ErrorDict) -> dict:
    """The form's messages per field, each with its code."""
    return {("non_field_errors" if key == "__all__" else key): error_details(DjangoValidationError(errors))
            for key, errors in form_errors.as_data().items()}


def _file_errors(service, uploads) -> list[ErrorDetail]:
    details: list[ErrorDetail] = []
    for index, upload in enumerate(uploads):
        try:
            upload_check(service=service, upload=upload, already=index)
        except DjangoValidationError as error:
            details.extend(d for d in error_details(error) if d not in details)
    return details


class RequestTrackQuerySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="the 16-digit tracking code (Persian digits accepted)",
                                 error_messages={"required": _("کد رهگیری را وارد کنید."), "blank": _("کد رهگیری را وارد کنید.")})
    identity = serializers.CharField(help_text="the applicant's national code or mobile",
                                     error_messages={"required": _("کد ملی یا شماره همراه متقاضی را وارد کنید."),
                                                     "blank": _("کد ملی یا شماره همراه متقاضی را وارد کنید.")})


# --- Output ---------------------------------------------------------------------------------


class ServiceRefSerializer(serializers.Serializer):
    national_id = serializers.CharField()
    title = serializers.CharField()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()


class SmsStatusSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="queued, sent, delivered or failed")
    label = serializers.CharField(source="get_status_display")


class FileRefSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class _Dates(serializers.Serializer):
    promised_date = serializers.DateField()
    promised_date_jalali = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    submitted_at_jalali = serializers.SerializerMethodField()

    def get_promised_date_jalali(self, obj) -> str:
        return jdate(obj.promised_date)

    def get_submitted_at_jalali(self, obj) -> str:
        return jdate(obj.submitted_at, "%Y/%m/%d %H:%M")


class RequestReceiptSerializer(_Dates):
    """The receipt (رسید خدمت): what the receipt page shows, minus the applicant's own data.

    The fields are declared for the schema; the answer is built by hand (`to_representation`),
    since every submit ends here (DRF's copy of each field cost the submit more than its own
    checks). A test holds the two to the same JSON. A submit's own attachments come in
    `context["attachments"]`, so that they are not read back."""

    tracking_code = serializers.CharField()
    service = ServiceRefSerializer()
    unit = UnitRefSerializer()
    files = FileRefSerializer(source="attachments.all", many=True)
    sms = serializers.SerializerMethodField()
    tracking_url = serializers.SerializerMethodField()

    @extend_schema_field(SmsStatusSerializer(allow_null=True))
    def get_sms(self, obj):
        if not obj.sms_message_id:
            return None
        # A submit's own message as it queued it (draft_submit); a request read back reads its row.
        sms = getattr(obj, "receipt_sms", None) or SmsMessage.objects.filter(pk=obj.sms_message_id).only("status").first()
        return {"status": sms.status, "label": sms.get_status_display()} if sms else None

    def get_tracking_url(self, obj) -> str:
        return tracking_url(connection.tenant)

    def to_representation(self, obj) -> dict:
        attachments = self.context.get("attachments")
        if attachments is None:
            attachments = obj.attachments.all()
        service, unit = obj.service, obj.unit
        return {
            "promised_date": obj.promised_date.isoformat(), "promised_date_jalali": self.get_promised_date_jalali(obj),
            "submitted_at": _iso(obj.submitted_at), "submitted_at_jalali": self.get_submitted_at_jalali(obj),
            "tracking_code": obj.tracking_code,
            "service": {"national_id": service.national_id, "title": service.title},
            "unit": {"id": unit.pk, "name": unit.name, "phone": unit.phone} if unit is not None else None,
            "files": [{"name": a.display_name, "content_type": a.content_type, "size": a.size} for a in attachments],
            "sms": self.get_sms(obj),
            "tracking_url": self.get_tracking_url(obj),
        }


class TrackedStageSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    passed = serializers.BooleanField()
    current = serializers.BooleanField()


class EventSerializer(serializers.Serializer):
    title = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()
    at_jalali = serializers.CharField()


class RequestTrackingSerializer(serializers.Serializer):
    """What the tracking page shows before any one-time code: no personal data.

    The fields are declared for the schema; the answer is built by hand, since look-ups are
    the hottest path of the API (DRF's field machinery doubled its time).
    """

    tracking_code = serializers.CharField()
    service = ServiceRefSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField()
    current_stage = TrackedStageSerializer(allow_null=True)
    stages = TrackedStageSerializer(many=True)
    events = EventSerializer(many=True, help_text="the stages so far, with their dates")
    promised_date = serializers.DateField()
    promised_date_jalali = serializers.CharField()
    late = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    submitted_at_jalali = serializers.CharField()

    def to_representation(self, obj: TrackedRequest) -> dict:
        current = obj.current_stage
        return {
            "tracking_code": obj.tracking_code,
            "service": {"national_id": obj.service_national_id, "title": obj.service_title},
            "status": obj.status, "status_label": obj.status_label,
            "current_stage": _stage(current) if current else None,
            "stages": [_stage(stage) for stage in obj.stages],
            "events": [
                {"title": e.title, "note": e.note, "at": _iso(e.at), "at_jalali": jdate(e.at, "%Y/%m/%d %H:%M")} for e in obj.events
            ],
            "promised_date": obj.promised_date.isoformat(), "promised_date_jalali": jdate(obj.promised_date),
            "late": obj.late,
            "submitted_at": _iso(obj.submitted_at), "submitted_at_jalali": jdate(obj.submitted_at, "%Y/%m/%d %H:%M"),
        }


def _stage(stage) -> dict:
    # Not dataclasses.asdict, which deep-copies every value: a look-up's stages are its largest part.
    return {"order": stage.order, "name": stage.name, "current": stage.current, "passed": stage.passed}


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()
