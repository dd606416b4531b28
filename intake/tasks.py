"""Intake's beat tasks: each runs its service in every tenant whose schema is ready."""

from celery import shared_task
from django_tenants.utils import schema_context

from intake.casework.digests import late_stages_notify
from intake.surveys.services import surveys_due_send
from tenants.selectors import tenants_live


@shared_task
def late_stages_notify_all_tenants() -> int:
    total = 0
    for schema_name in tenants_live().values_list("schema_name", flat=True):
        with schema_context(schema_name):
            total += late_stages_notify()
    return total


@shared_task
def surveys_due_send_all_tenants() -> int:
    total = 0
    for tenant in tenants_live():
        with schema_context(tenant.schema_name):
            total += surveys_due_send(tenant=tenant)
    return total
