"""Intake's beat tasks: each runs its service in every tenant whose schema is ready."""

from celery import shared_task
from django_tenants.utils import schema_context


def _ready_schemas():
    from tenants.models import Tenant

    return Tenant.objects.exclude(schema_name="public").exclude(
        status__in=(Tenant.Status.PROVISIONING, Tenant.Status.CLOSED)
    ).values_list("schema_name", flat=True)


@shared_task
def late_stages_notify_all_tenants() -> int:
    from intake.digests import late_stages_notify

    total = 0
    for schema_name in _ready_schemas():
        with schema_context(schema_name):
            total += late_stages_notify()
    return total


@shared_task
def surveys_due_send_all_tenants() -> int:
    from intake.surveys import surveys_due_send
    from tenants.models import Tenant

    total = 0
    for schema_name in _ready_schemas():
        with schema_context(schema_name):
            total += surveys_due_send(tenant=Tenant.objects.get(schema_name=schema_name))
    return total
