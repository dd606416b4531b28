"""A tenant admin's team: invite staff with a role and a unit, change them, deactivate them.
Every change is kept in RoleAudit (who, when, before, after). It lives in catalog, which owns
units and StaffMembership; accounts below it keeps the accounts and their roles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import error_codes
from accounts.models import RoleAudit, User
from accounts.services import staff_invite
from catalog.models import StaffMembership


def _snapshot(user: User) -> dict:
    membership = getattr(user, "membership", None)
    return {"role": user.role, "is_active": user.is_active, "full_name": user.full_name,
            "unit": membership.unit.name if membership else None}


def _set_unit(user: User, unit) -> None:
    if unit is None:
        StaffMembership.objects.filter(user=user).delete()
    else:
        StaffMembership.objects.update_or_create(user=user, defaults={"unit": unit})
    user.__dict__.pop("membership", None)


# Their queue and their reach are their unit's requests (a unit manager's, also the units
# under it): without a unit a unit manager reaches nothing and a clerk only what an admin hands
# them one by one, which no one chooses on purpose. Admins and desk operators need none.
ROLES_WITH_UNIT = (User.Role.CLERK, User.Role.UNIT_MANAGER)


def _unit_check(role: str, unit) -> None:
    if role in ROLES_WITH_UNIT and unit is None:
        raise ValidationError({"unit": ValidationError(
            _("کارشناس و مدیر واحد باید واحد سازمانی داشته باشند: کارتابل آنها درخواست‌های همان واحد است."), code=error_codes.UNIT_REQUIRED_FOR_ROLE
        )})


@transaction.atomic
def team_member_invite(*, email: str, full_name: str, role: str, unit, actor: User, host: str, organisation: str, urlconf: str) -> User:
    """Invite a staff member (the plan's seat limit applies) and place them in a unit."""
    if role not in User.STAFF_ROLES:
        raise ValidationError(_("نقش کارکنان را انتخاب کنید."), code=error_codes.ROLE_REQUIRED)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("کاربری با این پست الکترونیک وجود دارد."), code=error_codes.EMAIL_TAKEN)
    _unit_check(role, unit)
    user = staff_invite(email=email, full_name=full_name, role=role, host=host, organisation=organisation, urlconf=urlconf)
    _set_unit(user, unit)
    RoleAudit.objects.create(user_email=user.email, actor=actor.email, action=RoleAudit.Action.INVITED, before=None, after=_snapshot(user))
    return user


@transaction.atomic
def team_member_update(*, user: User, role: str, unit, is_active: bool, actor: User) -> User:
    """Change a staff member's role, unit or access; an admin cannot lock themself out."""
    if role not in User.STAFF_ROLES:
        raise ValidationError(_("نقش کارکنان را انتخاب کنید."), code=error_codes.ROLE_REQUIRED)
    if user.pk == actor.pk and (role != User.Role.TENANT_ADMIN or not is_active):
        raise ValidationError(_("نمی‌توانید نقش یا دسترسی خودتان را بردارید؛ مدیر دیگری باید این کار را بکند."), code=error_codes.OWN_ACCESS_LOCKED)
    _unit_check(role, unit)
    before = _snapshot(user)
    user.role, user.is_active = role, is_active
    user.save(update_fields=["role", "is_active"])
    _set_unit(user, unit)
    after = _snapshot(user)
    if after != before:
        RoleAudit.objects.create(user_email=user.email, actor=actor.email, action=RoleAudit.Action.CHANGED, before=before, after=after)
    return user


def team_members():
    return User.objects.filter(role__in=User.STAFF_ROLES).select_related("membership__unit").order_by("full_name", "email")
