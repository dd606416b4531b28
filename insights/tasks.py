from celery import shared_task

from insights.services import rollup_run_execute, rollup_run_now, rollup_tenant_due


@shared_task(name="insights.tasks.insights_rollup_nightly")
def insights_rollup_nightly() -> int:
    """Beat: every ready tenant's last thirteen Jalali months into the public rollup."""
    return rollup_run_now(requested_by="beat").pk


@shared_task(name="insights.tasks.insights_rollup_run")
def insights_rollup_run(run_id: int) -> int:
    """The vendor's "roll up now": the run's progress is written as it goes."""
    return rollup_run_execute(run_id=run_id).tenants_done


@shared_task(name="insights.tasks.insights_rollup_tenant")
def insights_rollup_tenant(schema_name: str) -> int:
    """A tenant's recent months, a few minutes after its requests (see rollup_tenant_soon)."""
    return rollup_tenant_due(schema_name=schema_name)
