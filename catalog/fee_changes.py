"""Fee changes need a second admin (seed 003): a new fee, or a new amount or account for one,
is a pending FeeChange until a different tenant admin approves it; the card shows the fee in
force and the change waiting. Titles, order and when a fee is due apply at once; removing a fee applies at once
(it sends no money anywhere) and is audited like any card edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import error_codes
from catalog.cards import card_to_row
from catalog.models import CardAudit, Fee, FeeChange, FeeDue, Service
from catalog.services import card_audit

MONEY = ("amount_rial", "sheba", "bank")


def _fee_line(values) -> dict:
    return {"fees": " | ".join(str(getattr(values, key, "") if not isinstance(values, dict) else values.get(key, "")) for key in ("title", *MONEY))}


def fee_change_propose(*, service: Service, fee: Fee | None, values: dict, actor: str) -> FeeChange:
    """Keep a proposed fee (fee None) or a proposed amount/account; one pending change per fee."""
    pending = FeeChange.objects.filter(service=service, fee=fee, status=FeeChange.Status.PENDING)
    if fee is None:
        pending = pending.filter(title=values["title"])
    change = pending.first() or FeeChange(service=service, fee=fee)
    for key in ("title", *MONEY, "order"):
        setattr(change, key, values[key])
    change.due = values.get("due") or FeeDue.SUBMIT
    change.proposed_by = actor
    change.save()
    card_audit(service=service, national_id=service.national_id, actor=actor, action=CardAudit.Action.FEE_PROPOSED,
               before=_fee_line(fee) if fee else None, after=_fee_line(values))
    return change


def fees_save(*, service: Service, formset, actor: str) -> int:
    """The editor's fee list: money through FeeChange, the rest at once. Returns the changes proposed."""
    proposed = 0
    for form in formset.forms:
        if not form.has_changed() or not getattr(form, "cleaned_data", None):
            continue
        data = form.cleaned_data
        original = Fee.objects.filter(pk=form.instance.pk, service=service).first() if form.instance.pk else None
        if data.get("DELETE"):
            if original:
                original.delete()
            continue
        if original is None:
            fee_change_propose(service=service, fee=None, values=data, actor=actor)
            proposed += 1
            continue
        original.title, original.order, original.due = data["title"], data["order"], data.get("due") or original.due
        original.save(update_fields=["title", "order", "due"])
        if any(getattr(original, key) != data[key] for key in MONEY):
            fee_change_propose(service=service, fee=original, values=data, actor=actor)
            proposed += 1
    return proposed


@transaction.atomic
def fee_change_decide(*, change_id: int, service: Service, actor: str, approve: bool) -> FeeChange:
    """A different admin approves (the fee takes the new values, or the new fee is added) or
    rejects; the proposer may withdraw their own change by rejecting it."""
    change = FeeChange.objects.select_for_update().get(pk=change_id, service=service)
    if change.status != FeeChange.Status.PENDING:
        raise ValidationError(_("درباره این تغییر پیش‌تر تصمیم گرفته شده است."), code=error_codes.FEE_CHANGE_DECIDED)
    if approve and change.proposed_by == actor:
        raise ValidationError(_("تغییر هزینه را مدیر دیگری جز پیشنهاددهنده باید تایید کند."), code=error_codes.FEE_CHANGE_SAME_ADMIN)
    before = card_to_row(service)["fees"]
    if approve:
        fee = change.fee or Fee(service=service)
        for key in ("title", *MONEY, "order"):
            setattr(fee, key, getattr(change, key))
        if change.fee is None:
            fee.due = change.due
        fee.save()
        change.fee = fee
    change.status = FeeChange.Status.APPROVED if approve else FeeChange.Status.REJECTED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save()
    card_audit(service=service, national_id=service.national_id, actor=actor,
               action=CardAudit.Action.FEE_APPROVED if approve else CardAudit.Action.FEE_REJECTED,
               before={"fees": before}, after={"fees": card_to_row(service)["fees"]})
    return change


def fees_import(*, service: Service, rows: list[dict], actor: str) -> int:
    """A workbook's fees for a card that already exists: the same list changes nothing (the
    fees keep their rows, and the gateways that collect them); otherwise fees are matched by
    title, money changes and new fees are proposed, and fees the workbook no longer lists go."""
    current = list(service.fees.all())
    wanted = [(row["title"], row["amount_rial"], row["sheba"], row["bank"]) for row in rows]
    if [(fee.title, fee.amount_rial, fee.sheba, fee.bank) for fee in current] == wanted:
        return 0
    by_title = {fee.title: fee for fee in current}
    proposed = 0
    for order, row in enumerate(rows):
        values = {"title": row["title"], "amount_rial": row["amount_rial"], "sheba": row["sheba"], "bank": row["bank"], "order": order}
        fee = by_title.pop(row["title"], None)
        if fee is not None:
            fee.order = order
            fee.save(update_fields=["order"])
        if fee is None or any(getattr(fee, key) != values[key] for key in MONEY):
            fee_change_propose(service=service, fee=fee, values=values, actor=actor)
            proposed += 1
    for fee in by_title.values():
        fee.delete()
    return proposed
