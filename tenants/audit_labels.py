"""What the tenant's lifecycle log (TenantEvent) actions and statuses are called (see lib/audit_changes.py)."""

from django.utils.translation import gettext_lazy as _

from lib.audit_changes import Field, register
from tenants.models import Tenant

register(
    "tenant",
    actions={
        "onboarded": _("راه‌اندازی شد"),
        "suspend": _("تعلیق شد"),
        "reactivate": _("دوباره فعال شد"),
        "close": _("بسته شد"),
        "billing": _("وضعیت با پرداخت تغییر کرد"),
        "domain_added": _("دامنه اختصاصی افزوده شد"),
        "domain_verified": _("دامنه اختصاصی تأیید شد"),
    },
    fields={"status": Field(label=_("وضعیت"), choices=dict(Tenant.Status.choices))},
    on_create=("status",),
)
