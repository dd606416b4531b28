"""What the tenant's lifecycle log (TenantEvent) actions and statuses are called (see lib/audit_changes.py)."""

from django.utils.translation import gettext_lazy as _

from lib.audit_changes import Field, register
from tenants.models import Tenant, TenantEvent

register(
    "tenant",
    actions=dict(TenantEvent.Action.choices),
    fields={"status": Field(label=_("وضعیت"), choices=dict(Tenant.Status.choices))},
    on_create=("status",),
)
