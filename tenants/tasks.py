"""Background work of tenants (public schema: plain shared tasks, no tenant header), and the
beat sweeps that visit every tenant for the apps below tenants (notifications' SMS)."""

from celery import shared_task
from django_tenants.utils import schema_context

from notifications.services import sms_requeue
from tenants.selectors import tenants_live
from tenants.spares import spares_refill


@shared_task
def spare_schemas_refill() -> int:
    """Top the spare schemas up (after each onboarding, and every few minutes by beat)."""
    return spares_refill()


@shared_task
def sms_requeue_all_tenants() -> int:
    """Beat: notifications' SMS sweep in every live tenant. It runs from here because which
    tenants are live is tenants' rule, and notifications sits below tenants."""
    total = 0
    for schema_name in tenants_live().values_list("schema_name", flat=True):
        with schema_context(schema_name):
            total += sms_requeue()
    return total
