"""The in-person desk (میز خدمت حضوری): an operator registers a walk-in citizen's request
through the same wizard and rules, on the citizen's behalf and with their consent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from intake import error_codes
from intake.citizen.services import draft_start
from intake.models import ServiceRequest, WizardDraft

DESK_ROLES = (User.Role.DESK_OPERATOR, User.Role.TENANT_ADMIN)


@transaction.atomic
def desk_draft_start(*, operator, service, unit, consent: bool) -> WizardDraft:
    """Open a wizard for a walk-in citizen; without the citizen's consent nothing is registered
    for them. The request it makes is in person and names the operator who assisted."""
    if not (operator.is_authenticated and operator.role in DESK_ROLES):
        raise PermissionDenied
    if not consent:
        raise ValidationError(_("رضایت متقاضی برای ثبت درخواست به نیابت از او لازم است."), code=error_codes.CONSENT_REQUIRED)
    draft = draft_start(service=service, unit=unit, channel=ServiceRequest.Channel.IN_PERSON, assisted_by=operator.email or "-")
    draft.data["consent_at"] = timezone.now().isoformat()
    draft.save(update_fields=["data", "updated_at"])
    return draft
