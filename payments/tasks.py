"""Beat: the reconciliation of pending payments, in every tenant whose schema is ready."""

from celery import shared_task
from django_tenants.utils import schema_context

from payments.services import payments_reconcile
from tenants.selectors import tenants_live


@shared_task
def payments_reconcile_all_tenants() -> int:
    total = 0
    for schema_name in tenants_live().values_list("schema_name", flat=True):
        with schema_context(schema_name):
            total += payments_reconcile()
    return total
