"""What the team's audit trail (RoleAudit) actions, fields and values are called (see lib/audit_changes.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAudit, User
from lib.audit_changes import Field, register

register(
    "role",
    actions=dict(RoleAudit.Action.choices),
    fields={
        "full_name": _("نام و نام خانوادگی"),
        "role": Field(label=_("نقش"), choices=dict(User.Role.choices)),
        "unit": _("واحد سازمانی"),
        "is_active": _("دسترسی فعال"),
    },
    on_create=("role", "unit"),
)
