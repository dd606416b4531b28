import uuid

from django import forms
from django.core.validators import URLValidator
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from catalog import error_codes
from catalog.bpmn import bpmn_clean
from catalog.models import Faq, Fee, FeeDue, FormFile, Law, Service, Unit, WorkflowStage
from lib.forms_kept import file_label
from lib.identifiers import clean_sheba
from lib.persian import normalize_text, to_ascii_digits, to_persian_digits
from lib.uploads import content_type_of, type_names


class NormalizedTextMixin:
    """Persian letters and ASCII digits in every text field, as the rest of the product stores them."""

    def clean(self):
        data = super().clean()
        for key, value in list(data.items()):
            if isinstance(value, str) and not key.endswith(("url", "sheba")):
                data[key] = "\n".join(normalize_text(line) for line in value.splitlines()) if "\n" in value else normalize_text(value)
        return data


class WebLinkField(forms.URLField):
    """A link the card page shows: http or https only, since any other scheme (javascript:,
    data:) would run or open something in the citizen's browser. The model's URLField also
    takes ftp; checking here spares a migration in every tenant's schema."""

    default_validators = [URLValidator(
        schemes=["http", "https"], code=error_codes.INVALID_URL,
        message=_("نشانی اینترنتی درست نیست؛ فقط نشانی‌هایی که با http:// یا https:// آغاز می‌شوند پذیرفته می‌شوند."),
    )]


class UnitForm(NormalizedTextMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "address", "phone", "hours", "order"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


# (upload field, the card's field that keeps the document)
BPMN_UPLOADS = (("bpmn_external_file", "bpmn_external"), ("bpmn_internal_file", "bpmn_internal"))


class ServiceCardForm(NormalizedTextMixin, forms.ModelForm):
    service_types = forms.MultipleChoiceField(
        label=_("نوع خدمت"), choices=list(Service.TYPES.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    bpmn_external_file = forms.FileField(label=_("بارگذاری فرآیند بیرونی (BPMN)"), required=False)
    bpmn_internal_file = forms.FileField(label=_("بارگذاری فرآیند درونی (BPMN)"), required=False)

    class Meta:
        model = Service
        fields = [
            "common_name", "service_types", "description", "eligibility", "required_documents", "average_days",
            "is_instant", "service_hours", "visits_count", "visits_place", "visits_reason", "service_level",
            "online_request", "web_url", "app_url", "channel_email", "ivr_number", "sms_code", "counter_offices",
            "inquiries", "ends_in_permit", "responsible_name", "responsible_position", "responsible_phone",
            "complete_guide", "attachment_max_files", "attachment_max_kb", "attachment_types", "units",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}), "eligibility": forms.Textarea(attrs={"rows": 2}),
            "required_documents": forms.Textarea(attrs={"rows": 4}), "counter_offices": forms.Textarea(attrs={"rows": 2}),
            "inquiries": forms.Textarea(attrs={"rows": 2}), "complete_guide": forms.Textarea(attrs={"rows": 6}),
            "units": forms.CheckboxSelectMultiple,
        }
        field_classes = {"web_url": WebLinkField, "app_url": WebLinkField}

    def clean(self):
        data = super().clean()
        if not data.get("is_instant") and not data.get("average_days"):
            self.add_error("average_days", forms.ValidationError(
                _("متوسط مدت ارائه خدمت را بنویسید یا خدمت را آنی علامت بزنید."), code=error_codes.AVERAGE_DAYS_MISSING))
        for source, target in BPMN_UPLOADS:
            upload = data.get(source)
            if upload:
                try:
                    self.instance_bpmn = getattr(self, "instance_bpmn", {})
                    self.instance_bpmn[target] = bpmn_clean(upload.read())
                except forms.ValidationError as error:
                    self.add_error(source, error)
        return data

    def save(self, commit=True):
        service = super().save(commit=False)
        for target, xml in getattr(self, "instance_bpmn", {}).items():
            setattr(service, target, xml)
        if commit:
            service.save()
            self.save_m2m()
        return service


class FeeForm(NormalizedTextMixin, forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["title", "amount_rial", "sheba", "bank", "order", "due"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].required = False  # the workbook has no such column: at submit, as before

    def clean_due(self):
        return self.cleaned_data.get("due") or FeeDue.SUBMIT

    def clean_sheba(self):
        return clean_sheba(self.cleaned_data["sheba"])

    def clean_amount_rial(self):
        return int(to_ascii_digits(str(self.cleaned_data["amount_rial"])))


class NormalizedForm(NormalizedTextMixin, forms.ModelForm):
    pass


class LawForm(NormalizedForm):
    class Meta:
        model = Law
        fields = ["title", "url", "order"]
        field_classes = {"url": WebLinkField}


class CardListFormSet(BaseInlineFormSet):
    """The card's lists: Django's own labels ("Delete") and the unnamed `order` fields in Persian,
    whatever language the browser asks for."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("حذف")
        if "order" in form.fields:
            form.fields["order"].label = _("ترتیب")


def _card_list(model, **options):
    return inlineformset_factory(Service, model, formset=CardListFormSet, extra=1, can_delete=True, **options)


FeeFormSet = _card_list(Fee, form=FeeForm)
LawFormSet = _card_list(Law, form=LawForm)
FaqFormSet = _card_list(Faq, form=NormalizedForm, fields=["question", "answer", "order"], widgets={"answer": forms.Textarea(attrs={"rows": 2})})
StageFormSet = _card_list(WorkflowStage, form=NormalizedForm, fields=["order", "name", "target_days", "unit"])
class FormFileForm(NormalizedForm):
    """A form citizens download (فرم‌ها): only what requests' attachments accept, proved by the
    content (lib/uploads.py), under FORM_FILE_MAX_KB; stored under a random name with the
    extension the content proved, never the uploader's name."""

    class Meta:
        model = FormFile
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "content_type"):  # kept as stored, or none
            return upload
        name = file_label(upload.name)
        if upload.size == 0:
            raise forms.ValidationError(_("پرونده «%(name)s» خالی است.") % {"name": name}, code=error_codes.FORM_FILE_EMPTY)
        if upload.size > FORM_FILE_MAX_KB * 1024:
            raise forms.ValidationError(_("اندازه «%(name)s» بیش از %(kb)s کیلوبایت است.") % {"name": name, "kb": to_persian_digits(FORM_FILE_MAX_KB)},
                                        code=error_codes.FORM_FILE_TOO_LARGE)
        proved = content_type_of(upload)
        if proved is None:
            raise forms.ValidationError(_("نوع «%(name)s» پذیرفته نیست؛ فقط %(types)s.") % {"name": name, "types": type_names()},
                                        code=error_codes.FORM_FILE_TYPE_REFUSED)
        upload.name = f"{uuid.uuid4().hex}{proved[0]}"
        return upload


FORM_FILE_MAX_KB = 10 * 1024
FormFileFormSet = _card_list(FormFile, form=FormFileForm)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("کارپوشه XLSX شناسنامه خدمات"))
