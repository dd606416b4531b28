"""What the card audit trail's actions, fields and values are called (see lib/audit_changes.py)."""

from django.utils.translation import gettext_lazy as _

from catalog.cards import COLUMNS
from catalog.models import CardAudit, Service, Unit
from lib.audit_changes import Field, register

_SUMMARIES = {
    "description": _("شرح خدمت تغییر کرد"),
    "complete_guide": _("راهنمای کامل تغییر کرد"),
    "bpmn_external": _("نمودار فرایند بیرونی تغییر کرد"),
    "bpmn_internal": _("نمودار فرایند درونی تغییر کرد"),
}
_CHOICES = {
    "service_level": dict(Service.Level.choices),
    "status": dict(Service.Status.choices),
    "service_types": Service.TYPES,
}
_LATIN = {"web_url", "app_url", "channel_email"}
# The workbook's headers name the format; a reader of the trail needs only what changed.
_LABELS = {"bpmn_external": _("نمودار فرایند بیرونی"), "bpmn_internal": _("نمودار فرایند درونی")}


# Units share the catalogue's trail (catalog.services.unit_save); their keys say they are a unit's.
_UNIT_FIELDS = {
    f"unit_{name}": Field(label=Unit._meta.get_field(name).verbose_name, choices=dict(Unit.Kind.choices) if name == "kind" else {})
    for name in ("name", "kind", "parent", "address", "phone", "hours", "order")
}


def _field(key: str, header: str) -> Field:
    return Field(label=_LABELS.get(key, header), choices=_CHOICES.get(key, {}), summary=_SUMMARIES.get(key, ""), latin=key in _LATIN)


register(
    "card",
    actions=dict(CardAudit.Action.choices),
    fields={**{key: _field(key, header) for key, header in COLUMNS}, "questionnaire": _("پرسش‌نامه نظرسنجی"), **_UNIT_FIELDS},
    on_create=("approved_title", "unit_name"),
)
