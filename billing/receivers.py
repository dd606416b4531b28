"""Billing hears of a new tenant through tenants.signals.tenant_onboarded (sent after commit)."""

import logging

from django.dispatch import receiver

from billing.services import billing_account_open, billing_step_enqueue
from tenants.signals import tenant_onboarded

logger = logging.getLogger(__name__)


@receiver(tenant_onboarded)
def _tenant_onboarded(sender, tenant, **kwargs):
    # The tenant exists and serves already: nothing here may undo or fail its onboarding.
    try:
        step = billing_account_open(tenant=tenant)
        billing_step_enqueue(step=step)
    except Exception:
        logger.exception("Could not record the billing step of %s; the vendor console shows no account.", tenant.schema_name)
