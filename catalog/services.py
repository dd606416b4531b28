"""Use cases of the catalogue: pick services from the mirror, edit, publish, follow the registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.generations import generation_renew

from catalog.bpmn import bpmn_from_stages
from catalog.cards import card_to_row
from catalog import error_codes
from catalog.models import CardAudit, Service, Unit, WorkflowStage
from catalog.publishing import missing_items
from catalog.selectors import CATALOGUE, national_service_get


def card_audit(*, service: Service | None, national_id: str, actor: str, action: CardAudit.Action, before: dict | None, after: dict | None) -> None:
    """Every change to a card or its workflow is kept: who, when, before and after."""
    CardAudit.objects.create(service=service, national_id=national_id, actor=actor, action=action, before=before, after=after)


@transaction.atomic
def service_add_from_registry(*, national_id: str, actor: str, with_children: bool = True) -> Service:
    """Start a card for an approved national service (and its sub-services), titled as approved."""
    national = national_service_get(national_id)
    if national is None:
        raise ValidationError(_("این شناسه در فهرست خدمات مصوب ملی نیست."), code=error_codes.NATIONAL_SERVICE_UNKNOWN)
    if national.status != "approved":
        raise ValidationError(_("این خدمت در سامانه ملی منسوخ شده است و نمی‌توان آن را افزود."), code=error_codes.NATIONAL_SERVICE_RETIRED)
    existing = Service.objects.filter(national_id=national.service_id).first()
    if existing:
        return existing
    parent = Service.objects.filter(national_id=national.parent_id).first() if national.parent_id else None
    if national.parent_id and parent is None:
        parent = service_add_from_registry(national_id=national.parent_id, actor=actor, with_children=False)
    service = Service.objects.create(
        national_id=national.service_id, parent=parent, approved_title=national.title,
        service_types=list(national.service_types), registry_status=national.status,
    )
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.ADDED, before=None, after=card_to_row(service))
    if with_children:
        for child in national.children.filter(status="approved"):
            service_add_from_registry(national_id=child.service_id, actor=actor, with_children=True)
    return service


@transaction.atomic
def service_update(*, service: Service, actor: str, save) -> Service:
    """Apply an edit (the `save` callable writes the form and its lists) and audit it.

    A published card that no longer meets the rules goes back to draft, with the reason.
    """
    before = card_to_row(Service.objects.get(pk=service.pk))
    save()
    service.refresh_from_db()
    if service.is_published:
        missing = missing_items(service, national=national_service_get(service.national_id))
        if missing:
            service.status = Service.Status.DRAFT
            service.status_reason = _("پس از ویرایش کامل نیست: ") + "، ".join(missing)
            service.save(update_fields=["status", "status_reason", "updated_at"])
    after = card_to_row(service)
    if after != before:
        card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.EDITED, before=before, after=after)
    return service


def _unit_row(unit: Unit) -> dict:
    return {"unit_name": unit.name, "unit_kind": unit.kind, "unit_parent": unit.parent.name if unit.parent else "",
            "unit_address": unit.address, "unit_phone": unit.phone, "unit_hours": unit.hours, "unit_order": unit.order}


@transaction.atomic
def unit_save(*, unit: Unit | None, data: dict, actor: str) -> Unit:
    """Add a unit (unit None) or change one, in the catalogue's audit trail: units decide whose
    queue a request lands in, so who changed one, and from what, is worth keeping."""
    before = _unit_row(Unit.objects.select_for_update().get(pk=unit.pk)) if unit and unit.pk else None
    unit = unit or Unit()
    for name, value in data.items():
        setattr(unit, name, value)
    unit.save()
    after = _unit_row(unit)
    if after != before:
        action = CardAudit.Action.UNIT_EDITED if before else CardAudit.Action.UNIT_ADDED
        card_audit(service=None, national_id="", actor=actor, action=action, before=before, after=after)
    return unit


@transaction.atomic
def service_publish(*, service: Service, actor: str) -> Service:
    """Publish a card that meets every rule; otherwise say what is missing."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    missing = missing_items(service, national=national_service_get(service.national_id))
    if missing:
        raise ValidationError([ValidationError(item, code=error_codes.CARD_INCOMPLETE) for item in missing])
    before = card_to_row(service)
    service.status, service.status_reason, service.published_at = Service.Status.PUBLISHED, "", timezone.now()
    service.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.PUBLISHED, before=before, after=card_to_row(service))
    return service


@transaction.atomic
def service_unpublish(*, service: Service, actor: str, reason: str) -> Service:
    before = card_to_row(service)
    service.status, service.status_reason = Service.Status.UNPUBLISHED, reason
    service.save(update_fields=["status", "status_reason", "updated_at"])
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.UNPUBLISHED, before=before, after=card_to_row(service))
    return service


@transaction.atomic
def catalog_follow_registry(*, national_id: str, kind: str, new_title: str = "") -> Service | None:
    """Apply a registry change to this tenant's card (called in the tenant's schema).

    Retired: the card leaves the portal and says why. Title changed: the card takes the new
    approved title (the common name stays). Re-approved: the card may be published again.
    """
    service = Service.objects.filter(national_id=national_id).first()
    if service is None:
        return None
    actor = "سامانه ملی خدمات"
    if kind == "retired":
        service.registry_status = "retired"
        service.save(update_fields=["registry_status"])
        if service.status != Service.Status.UNPUBLISHED:
            service_unpublish(service=service, actor=actor, reason=_("این خدمت در سامانه ملی منسوخ شده است."))
    elif kind == "title_changed" and new_title and new_title != service.approved_title:
        before = card_to_row(service)
        service.approved_title = new_title
        service.save(update_fields=["approved_title", "updated_at"])
        card_audit(service=service, national_id=national_id, actor=actor, action=CardAudit.Action.TITLE_CHANGED, before=before, after=card_to_row(service))
    elif kind == "reapproved":
        service.registry_status = "approved"
        service.save(update_fields=["registry_status"])
    return service


def catalogue_changed() -> None:
    """The tenant's catalogue changed: every web process reads its pages again (signals call
    this for every row a model method writes; bulk writes call it themselves)."""
    generation_renew(CATALOGUE)


@transaction.atomic
def stages_replace(*, service: Service, stages: list[tuple[str, int, Unit | None]], actor: str) -> None:
    """Set the card's workflow stages, in order (used by the XLSX import and the demo)."""
    service.stages.all().delete()
    WorkflowStage.objects.bulk_create(
        WorkflowStage(service=service, order=index, name=name, target_days=days, unit=unit)
        for index, (name, days, unit) in enumerate(stages, start=1)
    )
    catalogue_changed()


@transaction.atomic
def service_generate_external_bpmn(*, service: Service, actor: str) -> Service:
    """Draw the external process left to right from the workflow's stages (BPMN 2.0)."""
    if not service.stages.exists():
        raise ValidationError(_("برای ساختن نمودار، نخست مراحل گردش کار را تعریف کنید."), code=error_codes.WORKFLOW_STAGES_MISSING)
    before = card_to_row(service)
    service.bpmn_external = bpmn_from_stages(service.title, [stage.name for stage in service.stages.all()])
    service.save(update_fields=["bpmn_external", "updated_at"])
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.BPMN_GENERATED, before=before, after=card_to_row(service))
    return service
