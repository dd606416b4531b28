"""The tenant's status as its payments say: moves through tenants.services.tenant_billing_move,
an e-mail to the tenant's admins for every move, and the time-driven moves (trial over,
grace period over) that a beat task runs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from billing.models import BillingAccount
from billing.selectors import tenant_admin_emails
from lib.hosts import host_url
from notifications.services import email_queue
from tenants.models import Tenant
from tenants.services import tenant_billing_move

logger = logging.getLogger(__name__)

# Stripe's subscription statuses that still pay (or will, at a trial's end).
LIVE_SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due")


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


@transaction.atomic
def tenant_billing_status_set(*, account: BillingAccount, to_status: str, reason: str, grace_from: datetime | None = None) -> bool:
    """Move the tenant and tell its admins; a move into past due starts the grace period,
    any other move ends it. Returns whether the tenant moved."""
    moved = tenant_billing_move(tenant=account.tenant, to_status=to_status, note=reason)
    if not moved:
        return False
    if to_status == Tenant.Status.PAST_DUE:
        account.grace_ends_at = (grace_from or timezone.now()) + grace_period()
    elif to_status == Tenant.Status.ACTIVE:
        account.grace_ends_at = None
    account.save(update_fields=["grace_ends_at", "updated_at"])
    account.tenant.refresh_from_db()
    _admins_notify(account=account, status=to_status)
    return True


def _admins_notify(*, account: BillingAccount, status: str) -> None:
    """E-mail every active admin of the tenant (found inside the tenant's own schema)."""
    tenant = account.tenant
    admins = tenant_admin_emails(tenant=tenant)
    if not admins:
        return
    context = {
        "tenant": tenant, "status": status, "grace_ends_at": account.grace_ends_at,
        "billing_url": host_url(tenant.subdomain, "/staff/billing/"),
    }
    email_queue(
        to=admins,
        subject=render_to_string("billing/email/status_subject.txt", context).strip(),
        body=render_to_string("billing/email/status.txt", context),
    )


def billing_overdue_apply(*, now: datetime | None = None) -> dict[str, int]:
    """The beat task's moves: a trial that ended without a subscription becomes past due (with
    the grace period); a past-due tenant whose grace period is over is suspended."""
    now = now or timezone.now()
    counts = {"trial_ended": 0, "suspended": 0}
    trials_over = BillingAccount.objects.select_related("tenant").filter(
        tenant__status=Tenant.Status.TRIAL, tenant__trial_ends_at__lte=now
    ).exclude(subscription_status__in=LIVE_SUBSCRIPTION_STATUSES)
    for account in trials_over:
        if tenant_billing_status_set(account=account, to_status=Tenant.Status.PAST_DUE, reason="trial ended", grace_from=now):
            counts["trial_ended"] += 1
    graces_over = BillingAccount.objects.select_related("tenant").filter(
        tenant__status=Tenant.Status.PAST_DUE, grace_ends_at__lte=now
    )
    for account in graces_over:
        if tenant_billing_status_set(account=account, to_status=Tenant.Status.SUSPENDED, reason="grace period over"):
            counts["suspended"] += 1
    if any(counts.values()):
        logger.info("Billing overdue moves: %s", counts)
    return counts
