"""Background work of tenants (public schema: plain shared tasks, no tenant header), and the
beat sweeps that visit every tenant for the apps below tenants (notifications' SMS)."""

from celery import shared_task
from django_tenants.utils import schema_context

from notifications.services import sms_requeue
from tenants.models import Tenant
from tenants.spares import spares_refill


@shared_task
def spare_schemas_refill() -> int:
    """Top the spare schemas up (after each onboarding, and every few minutes by beat)."""
    return spares_refill()


@shared_task
def sms_requeue_all_tenants() -> int:
    """Beat: the SMS sweep in every tenant whose schema is ready. It lives here, not in
    notifications, because notifications sits below tenants and does not read them."""
    schemas = Tenant.objects.exclude(schema_name="public").exclude(
        status__in=(Tenant.Status.PROVISIONING, Tenant.Status.CLOSED)
    ).values_list("schema_name", flat=True)
    total = 0
    for schema_name in schemas:
        with schema_context(schema_name):
            total += sms_requeue()
    return total
