"""Background work of tenants (public schema: plain shared tasks, no tenant header)."""

from celery import shared_task

from tenants.spares import spares_refill


@shared_task
def spare_schemas_refill() -> int:
    """Top the spare schemas up (after each onboarding, and every few minutes by beat)."""
    return spares_refill()
