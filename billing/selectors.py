"""Reads of billing: a tenant's plan and limits, its page in the staff area, the vendor's view."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from billing import error_codes
from billing.models import BillingAccount, BillingStep, Invoice, Plan
from billing.usage import LIMITS, REQUESTS_PER_MONTH, STAFF_SEATS, usage_count
from lib.generations import generation_renew, remembered
from tenants.models import Tenant
from tenants.selectors import tenant_for_schema, tenants_all


def plan_for_tenant(*, tenant: Tenant) -> Plan | None:
    """The plan whose limits apply: the subscribed one, else the trial plan the vendor marked."""
    account = BillingAccount.objects.select_related("plan").filter(tenant=tenant).first()
    if account is not None and account.plan is not None:
        return account.plan
    return Plan.objects.filter(is_trial_default=True).first()


# What a tenant's own web requests read of its plan is kept by each process until its billing
# account or any plan changes (billing/receivers.py renews the tenant's generation).
PLAN_LIMITS = "plan-limits"


def limit_for(*, tenant: Tenant, limit: str) -> int | None:
    """The tenant's ceiling for `limit` ("staff_seats", "requests_per_month"); None = no limit.
    The subscribed plan's, the trial plan's if none. Every submit asks: on the tenant's own
    schema each process keeps the answer (elsewhere, the vendor's pages, it is read)."""
    if limit not in LIMITS:
        raise ValueError(f"Unknown limit {limit!r}.")
    if connection.schema_name != tenant.schema_name:
        return _limit_read(tenant=tenant, limit=limit)
    (ceiling,) = remembered(PLAN_LIMITS, limit, lambda: (_limit_read(tenant=tenant, limit=limit),),
                            seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)
    return ceiling


def plan_limits_changed(tenants) -> None:
    """`tenants`' plans or accounts changed: their web processes read the limits again."""
    for schema_name in tenants.values_list("schema_name", flat=True):
        with schema_context(schema_name):
            generation_renew(PLAN_LIMITS)


def _limit_read(*, tenant: Tenant, limit: str) -> int | None:
    subscribed = BillingAccount.objects.filter(tenant=tenant, plan__isnull=False).values_list(f"plan__{limit}", flat=True)
    for ceiling in subscribed[:1]:
        return ceiling
    return Plan.objects.filter(is_trial_default=True).values_list(limit, flat=True).first()


def limit_allows(*, tenant: Tenant, limit: str, adding: int = 1, used: int | None = None) -> bool:
    """Whether the tenant may add `adding` more of `limit`. Intake calls this with
    limit="requests_per_month" (and its own `used`) before it accepts a request."""
    ceiling = limit_for(tenant=tenant, limit=limit)
    if ceiling is None:
        return True
    if used is None:
        used = usage_count(tenant=tenant, limit=limit) or 0
    return used + adding <= ceiling


def staff_seat_limit_check() -> None:
    """The plan's cap on staff accounts, for the current tenant's next one; accounts runs it
    (registered in BillingConfig.ready through accounts/hooks.py)."""
    tenant = tenant_for_schema(connection.schema_name)
    if tenant is not None and not limit_allows(tenant=tenant, limit=STAFF_SEATS):
        raise ValidationError(_("سقف کارکنان طرح اشتراک این دستگاه پر شده است؛ برای افزودن کارکنان، طرح بزرگ‌تری انتخاب کنید."),
                              code=error_codes.SEAT_LIMIT_REACHED)


@dataclass(frozen=True)
class Usage:
    limit: str
    used: int | None
    ceiling: int | None

    @property
    def over(self) -> bool:
        return self.used is not None and self.ceiling is not None and self.used > self.ceiling


@dataclass(frozen=True)
class TenantBilling:
    tenant: Tenant
    account: BillingAccount | None
    plan: Plan | None
    usage: dict[str, Usage]
    invoices: list[Invoice]
    plans: list[Plan]


def tenant_billing(*, tenant: Tenant) -> TenantBilling:
    """What a tenant admin sees on the billing page."""
    account = BillingAccount.objects.select_related("plan").filter(tenant=tenant).first()
    plan = plan_for_tenant(tenant=tenant)
    usage = {
        name: Usage(limit=name, used=usage_count(tenant=tenant, limit=name), ceiling=getattr(plan, name, None))
        for name in (STAFF_SEATS, REQUESTS_PER_MONTH)
    }
    return TenantBilling(
        tenant=tenant, account=account, plan=plan, usage=usage,
        invoices=list(Invoice.objects.filter(tenant=tenant)[:24]),
        plans=list(plans_offered()),
    )


def plans_offered() -> QuerySet[Plan]:
    return Plan.objects.filter(is_active=True).exclude(stripe_price_monthly="", stripe_price_yearly="")


def tenant_admin_emails(*, tenant: Tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return list(
            User.objects.filter(is_active=True, role=User.Role.TENANT_ADMIN).order_by("date_joined", "id").values_list("email", flat=True)
        )


def billing_console_tenants() -> QuerySet[Tenant]:
    """Every tenant with its plan, status and last payment, for the vendor."""
    last_paid = Invoice.objects.filter(tenant=OuterRef("pk"), status="paid").order_by("-paid_at", "-created")
    return (
        tenants_all()
        .select_related("billing_account", "billing_account__plan")
        .annotate(
            last_paid_at=Subquery(last_paid.values("paid_at")[:1]),
            last_paid_amount=Subquery(last_paid.values("amount_paid")[:1]),
            last_paid_currency=Subquery(last_paid.values("currency")[:1]),
        )
        .order_by("name")
    )


def billing_steps_open() -> QuerySet[BillingStep]:
    """Steps the vendor should know about: not done yet, oldest first."""
    return BillingStep.objects.exclude(status=BillingStep.Status.DONE).select_related("tenant").order_by("created_at", "id")
