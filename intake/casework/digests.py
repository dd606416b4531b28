"""The daily word to each unit manager about late stages in their units (beat, per tenant)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from intake.casework.selectors import late_condition, staff_unit, unit_subtree_ids
from intake.models import LateDigest, ServiceRequest
from notifications.services import email_queue


def late_stages_notify(*, today=None) -> int:
    """E-mail every unit manager the late requests of their units, at most once a day each.
    Returns how many managers were written to."""
    today = today or timezone.localdate()
    written = 0
    for manager in User.objects.filter(is_active=True, role=User.Role.UNIT_MANAGER).exclude(email=None):
        unit = staff_unit(manager)
        if unit is None:
            continue
        late = list(ServiceRequest.objects.filter(late_condition(today), unit_id__in=unit_subtree_ids(unit)).select_related("service", "current_stage"))
        if not late:
            continue
        try:
            with transaction.atomic():
                LateDigest.objects.create(manager=manager, day=today, count=len(late))
                _send(manager=manager, unit=unit, late=late)
        except IntegrityError:
            continue  # already told today
        written += 1
    return written


def _send(*, manager, unit, late) -> None:
    body = render_to_string("intake/email/late_digest.txt", {"manager": manager, "unit": unit, "late": late})
    email_queue(to=[manager.email], subject=_("درخواست‌های دارای دیرکرد در %(unit)s") % {"unit": unit.name}, body=body)
