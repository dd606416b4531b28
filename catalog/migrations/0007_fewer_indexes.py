"""Fewer indexes in every tenant schema (README, "Relations per tenant"): foreign keys of the
units tree and the staff's units (a few dozen rows, read whole) and those a unique index already
leads with (a stage's service: catalog_stage_order_unique; a service's units)."""

import django.db.models.deletion
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "catalog_service_units_service_id_dbb936bd": "catalog_service_units (service_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0006_fee_due'),
    ]

    operations = [
        migrations.AlterField(
            model_name='staffmembership',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='catalog.unit', verbose_name='واحد سازمانی'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='parent',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='catalog.unit', verbose_name='واحد بالادست'),
        ),
        migrations.AlterField(
            model_name='workflowstage',
            name='service',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='catalog.service'),
        ),
        migrations.AlterField(
            model_name='workflowstage',
            name='unit',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='stages', to='catalog.unit', verbose_name='واحد انجام\u200cدهنده'),
        ),
        # The unique (service_id, unit_id) leads with service_id.
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
