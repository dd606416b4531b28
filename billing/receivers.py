"""Billing hears of a new tenant and of a closed one through tenants.signals (sent after commit),
and renews what web processes keep of a tenant's limits when its account or a plan changes."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from billing.models import BillingAccount, Plan
from billing.selectors import plan_limits_changed
from billing.services import billing_account_open, billing_step_enqueue, billing_subscription_cancel_record
from tenants.models import Tenant
from tenants.selectors import tenants_all
from tenants.signals import tenant_closed, tenant_onboarded

logger = logging.getLogger(__name__)


@receiver(tenant_onboarded)
def _tenant_onboarded(sender, tenant, **kwargs):
    # The tenant exists and serves already: nothing here may undo or fail its onboarding.
    try:
        step = billing_account_open(tenant=tenant)
        billing_step_enqueue(step=step)
    except Exception:
        logger.exception("Could not record the billing step of %s; the vendor console shows no account.", tenant.schema_name)


@receiver(tenant_closed)
def _tenant_closed(sender, tenant, **kwargs):
    # The tenant is closed already; the cancellation is a recorded step, retried until Stripe answers.
    try:
        billing_step_enqueue(step=billing_subscription_cancel_record(tenant=tenant))
    except Exception:
        logger.exception("Could not record the cancellation of %s's subscription; cancel it in Stripe.", tenant.schema_name)


@receiver([post_save, post_delete], sender=BillingAccount)
def _account_written(sender, instance, **kwargs):
    plan_limits_changed(Tenant.objects.filter(pk=instance.tenant_id))


@receiver([post_save, post_delete], sender=Plan)
def _plan_written(sender, **kwargs):
    plan_limits_changed(tenants_all())  # a plan's limits, or which plan is the trial's
