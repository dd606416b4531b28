from celery import shared_task


@shared_task(name="insights.tasks.insights_rollup_nightly")
def insights_rollup_nightly() -> int:
    """Beat: every ready tenant's last thirteen Jalali months into the public rollup."""
    from insights.rollup import rollup_all

    return rollup_all()
