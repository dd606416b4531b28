"""Fewer indexes in every tenant schema (README, "Relations per tenant", issue 14's third pass):
a fee change's service and fee (a few rows a service, read and deleted whole) and a card audit's
service (the audit is read newest first, never by service; only deleting a service, which
nothing here does but Django admin, looks its rows up). No hot path reads them by these keys
(tests/tenants/test_hot_path_plans.py)."""

import django.db.models.deletion
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "catalog_cardaudit_service_id_3fdf74d9": "catalog_cardaudit (service_id)",
    "catalog_feechange_fee_id_772b4dd6": "catalog_feechange (fee_id)",
    "catalog_feechange_service_id_547af95d": "catalog_feechange (service_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0008_no_toast"),
    ]

    operations = [
        # The index alone: Django's AlterField would also drop and re-add (re-check) each foreign key.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES))],
            state_operations=[
                migrations.AlterField(
                    model_name="cardaudit",
                    name="service",
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audits", to="catalog.service"),
                ),
                migrations.AlterField(
                    model_name="feechange",
                    name="fee",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="changes", to="catalog.fee"),
                ),
                migrations.AlterField(
                    model_name="feechange",
                    name="service",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="fee_changes", to="catalog.service"),
                ),
            ],
        ),
    ]
