"""A workbook row checked by the editor's own forms, so that the workbook and the editor give
one verdict on the same card.

A row becomes what the editor would post: data for `CardRowForm` (the editor's
`ServiceCardForm` plus the columns only the workbook carries) and, for each item of a list
cell, data for the editor's form of that list (fees, laws, FAQ, stages). The row report keeps
the workbook's wording for the problems it has always reported; every problem carries a
machine code (`RowError.code`) beside its Persian message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.cards import BOOLEAN_KEYS, COLUMNS, INTEGER_KEYS, split_items
from catalog.error_codes import INVALID_URL, INVALID_YES_NO, UNKNOWN_PARENT, UNKNOWN_UNIT
from catalog.forms import BPMN_UPLOADS, FaqFormSet, FeeFormSet, LawFormSet, ServiceCardForm, StageFormSet
from catalog.models import Service, Unit
from lib.persian import normalize_text, to_ascii_digits, to_persian_digits

YES, NO = "بله", "خیر"
HEADER_BY_KEY = dict(COLUMNS)
LIST_KEYS = ("fees", "laws", "faqs", "stages")

INVALID_FEE_AMOUNT = "invalid_fee_amount"
INVALID_SHEBA = "invalid_sheba"
INVALID_STAGE_DAYS = "invalid_stage_days"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    code: str = "invalid"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def choice_code(choices: dict, text: str) -> str:
    """The code of a choice written as its label (or as the code itself)."""
    by_label = {normalize_text(str(label)): code for code, label in choices.items()}
    return by_label.get(normalize_text(text), text.strip())


def units_named(names: list[str]) -> tuple[dict[str, Unit], list[str]]:
    """The units with these names (the first, if a name repeats) and the names that are none."""
    found: dict[str, Unit] = {}
    for unit in Unit.objects.filter(name__in=names):
        found.setdefault(unit.name, unit)
    return found, [name for name in dict.fromkeys(names) if name not in found]


def _unknown_unit(name: str) -> ValidationError:
    return ValidationError(
        _("واحد «%(name)s» در فهرست واحدهای سازمانی نیست؛ نخست آن را در صفحه واحدها بیفزایید."),
        code=UNKNOWN_UNIT, params={"name": name},
    )


class YesNoField(forms.Field):
    """«بله»/«خیر» as the workbook writes them (True/False and 1/0 of older workbooks); empty is no."""

    def to_python(self, value):
        text = str(value if value is not None else "").strip()
        if text in (YES, "True", "1"):
            return True
        if text in (NO, "False", "0", ""):
            return False
        raise ValidationError(_("مقدار باید «بله» یا «خیر» باشد."), code=INVALID_YES_NO)


class UnitNamesField(forms.Field):
    """Units named one a line. A name that is no unit is an error, not a new unit: a typo
    would otherwise hand the service to a unit nobody manages."""

    def clean(self, value):
        names = list(value or [])
        found, unknown = units_named(names)
        if unknown:
            raise ValidationError([_unknown_unit(name) for name in unknown])
        return [found[name] for name in dict.fromkeys(names)]


NON_NEGATIVE = gettext_lazy("باید عدد صحیح نامنفی باشد.")
NATIONAL_ID_DIGITS = gettext_lazy("شناسه خدمت باید ۱۰ یا ۱۱ رقم باشد.")
# The workbook's wording, by field and error code, for what it has always checked (the
# editor's forms word some of these for a page, the row report for a cell).
ROW_MESSAGES = {
    "national_id": {"required": NATIONAL_ID_DIGITS, "max_length": NATIONAL_ID_DIGITS},
    "approved_title": {"required": gettext_lazy("عنوان مصوب خالی است.")},
    "service_types": {"invalid_choice": gettext_lazy(
        "نوع خدمت فقط «به شهروندان»، «به کسب و کار» یا «به دستگاه‌های دولتی» (یا G2C، G2B، G2G) است، جدا با «؛».")},
    "service_level": {"invalid_choice": gettext_lazy(
        "سطح ارائه خدمت شناخته نشد: یکی از «ستاد»، «منطقه»، «استان»، «شهرستان»، «بخش» یا «روستا».")},
    "status": dict.fromkeys(("required", "invalid_choice"), gettext_lazy(
        "وضعیت باید «پیش‌نویس»، «منتشرشده» یا «خارج از انتشار» باشد.")),
    "web_url": {INVALID_URL: gettext_lazy("نشانی اینترنتی درست نیست.")},
    "app_url": {INVALID_URL: gettext_lazy("نشانی اینترنتی درست نیست.")},
    "channel_email": {"invalid": gettext_lazy("پست الکترونیک درست نیست.")},
    # attachment_max_kb keeps Django's min_value message: its least is 10, not 0.
    "attachment_max_kb": dict.fromkeys(("required", "invalid"), NON_NEGATIVE),
    **{key: dict.fromkeys(("required", "invalid", "min_value"), NON_NEGATIVE)
       for key in ("average_days", "visits_count", "attachment_max_files")},
}


class CardRowForm(ServiceCardForm):
    """The editor's card form, with what only the workbook carries: ID, approved title, parent,
    status, BPMN as text (posted as the editor's upload), units by name, yes/no cells."""

    parent_id = forms.CharField(required=False)
    units = UnitNamesField(required=False)
    is_instant = YesNoField(required=False)
    online_request = YesNoField(required=False)
    ends_in_permit = YesNoField(required=False)

    class Meta(ServiceCardForm.Meta):
        fields = ["national_id", "approved_title", *ServiceCardForm.Meta.fields, "status"]

    def __init__(self, *args, ids_in_file: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ids_in_file = ids_in_file
        for name, messages in ROW_MESSAGES.items():
            self.fields[name].error_messages.update(messages)

    def clean_parent_id(self):
        parent_id = self.cleaned_data["parent_id"]
        if parent_id and parent_id not in self.ids_in_file and not Service.objects.filter(national_id=parent_id).exists():
            raise ValidationError(_("خدمت مادر نه در این کارپوشه است و نه در فهرست خدمات."), code=UNKNOWN_PARENT)
        return parent_id

    def clean(self):
        data = super().clean()
        # A row states the whole card: an empty BPMN cell clears that process.
        self.instance_bpmn = getattr(self, "instance_bpmn", {})
        for source, target in BPMN_UPLOADS:
            if not data.get(source):
                self.instance_bpmn.setdefault(target, "")
        return data


def _text(value) -> str:
    return "" if value is None else str(value)


def _lines(value) -> str:
    return "\n".join(normalize_text(line) for line in _text(value).splitlines())


def national_id_of(row: dict) -> str:
    return to_ascii_digits(_text(row.get("national_id")).strip())


def card_row_input(row: dict) -> tuple[dict, dict]:
    """The row as the editor's form would receive it: (data, files)."""
    data = {key: _lines(row.get(key)) for key, _label in COLUMNS
            if key not in {*LIST_KEYS, "units", "bpmn_external", "bpmn_internal"}}
    data["national_id"] = national_id_of(row)
    data["parent_id"] = to_ascii_digits(_text(row.get("parent_id")).strip())
    written = _text(row.get("service_types")).replace("،", ";").replace("؛", ";").split(";")
    data["service_types"] = [choice_code(Service.TYPES, t).upper() for t in written if t.strip()]
    for key in BOOLEAN_KEYS:
        data[key] = _text(row.get(key)).strip()
    for key in INTEGER_KEYS:
        data[key] = to_ascii_digits(_text(row.get(key)).strip())
    data["service_level"] = choice_code(dict(Service.Level.choices), data["service_level"]) if data["service_level"] else ""
    data["status"] = choice_code(dict(Service.Status.choices), data["status"])
    data["units"] = [normalize_text(name) for name in _text(row.get("units")).splitlines() if name.strip()]
    files = {}
    for source, target in BPMN_UPLOADS:
        xml = _text(row.get(target))
        if xml.strip():
            files[source] = SimpleUploadedFile(f"{target}.bpmn", xml.encode("utf-8"), content_type="application/xml")
    return data, files


# A list cell's items, each checked by the editor's form of that list: (form, parts in the cell).
LIST_FORMS = {
    "fees": (FeeFormSet.form, ("title", "amount_rial", "sheba", "bank")),
    "laws": (LawFormSet.form, ("title", "url")),
    "faqs": (FaqFormSet.form, ("question", "answer")),
    "stages": (StageFormSet.form, ("name", "target_days", "unit")),
}
# The workbook's wording for the list problems it has always reported, by (list, part).
ITEM_MESSAGES = {
    ("fees", "amount_rial"): (INVALID_FEE_AMOUNT, gettext_lazy("مبلغ «%(value)s» عدد نیست.")),
    ("fees", "sheba"): (INVALID_SHEBA, gettext_lazy("شماره شبای «%(value)s» درست نیست.")),
    ("stages", "target_days"): (INVALID_STAGE_DAYS, gettext_lazy("مدت مرحله «%(name)s» عدد نیست.")),
}
ITEM_MESSAGE_CODES = {"required", "invalid", "min_value", "invalid_sheba"}


@dataclass
class CardRow:
    """A row checked: the card's form and the forms of its list items, ready to save."""

    number: int
    national_id: str
    form: CardRowForm
    items: dict[str, list[forms.ModelForm]] = field(default_factory=dict)

    @property
    def parent_id(self) -> str:
        return self.form.cleaned_data["parent_id"]

    @property
    def status(self) -> str:
        return self.form.cleaned_data["status"]


def card_row_check(*, number: int, row: dict, ids_in_file: frozenset[str]) -> tuple[CardRow, list[RowError]]:
    """The row checked as the editor checks a card, and every problem found in it."""
    data, files = card_row_input(row)
    instance = Service.objects.filter(national_id=data["national_id"]).first() if data["national_id"] else None
    form = CardRowForm(data, files, instance=instance, ids_in_file=ids_in_file)
    errors = []
    for name, problems in form.errors.as_data().items():
        key = dict(BPMN_UPLOADS).get(name, name)
        column = HEADER_BY_KEY.get(key, "") if name != NON_FIELD_ERRORS else ""
        errors += [RowError(number, column, message, problem.code or "invalid") for problem in problems for message in problem.messages]
    card = CardRow(number=number, national_id=data["national_id"], form=form)
    for key in LIST_KEYS:
        card.items[key], problems = _list_check(number, key, _text(row.get(key)))
        errors += problems
    return card, errors


def _list_check(number: int, key: str, cell: str) -> tuple[list[forms.ModelForm], list[RowError]]:
    form_class, parts = LIST_FORMS[key]
    column = HEADER_BY_KEY[key]
    items = [dict(zip(parts, values)) for values in split_items(cell, len(parts))]
    errors, unit_pks = [], {}
    if key == "stages":
        found, unknown = units_named([normalize_text(item["unit"]) for item in items if item["unit"]])
        errors += [RowError(number, column, _unknown_unit(name).messages[0], UNKNOWN_UNIT) for name in unknown]
        unit_pks = {name: unit.pk for name, unit in found.items()}
    item_forms = []
    for index, item in enumerate(items):
        data = {**item, "order": index}
        if key == "fees":
            data["amount_rial"] = to_ascii_digits(item["amount_rial"]).replace(",", "")
        if key == "stages":
            data["target_days"] = to_ascii_digits(item["target_days"])
            data["unit"] = unit_pks.get(normalize_text(item["unit"]), "")
        form = form_class(data)
        item_forms.append(form)
        for name, problems in form.errors.as_data().items():
            errors += [_item_error(number, key, form, index, item, name, problem) for problem in problems]
    return item_forms, errors


def _item_error(number: int, key: str, form, index: int, item: dict, name: str, problem: ValidationError) -> RowError:
    column = HEADER_BY_KEY[key]
    code, wording = ITEM_MESSAGES.get((key, name), (None, None))
    if wording and (problem.code in ITEM_MESSAGE_CODES or name == "sheba"):
        return RowError(number, column, wording % {"value": item.get(name, ""), "name": item.get("name", "")}, code)
    message = " ".join(problem.messages)
    if name in form.fields:
        text = _("«%(part)s» در مورد %(item)s: %(problem)s") % {
            "part": form.fields[name].label, "item": to_persian_digits(str(index + 1)), "problem": message}
    else:
        text = _("مورد %(item)s: %(problem)s") % {"item": to_persian_digits(str(index + 1)), "problem": message}
    return RowError(number, column, text, problem.code or "invalid")
