"""Billing's Celery tasks (public schema): one step now, and the two beat tasks."""

from celery import shared_task

from billing.lifecycle import billing_overdue_apply
from billing.services import billing_step_run, billing_steps_retry


@shared_task
def billing_step_run_task(*, step_id):
    step = billing_step_run(step_id=step_id)
    return step.status if step else None


@shared_task
def billing_steps_retry_task():
    return billing_steps_retry()


@shared_task
def billing_overdue_task():
    return billing_overdue_apply()
