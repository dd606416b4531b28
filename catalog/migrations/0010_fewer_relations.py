"""Fewer relations in every tenant schema (README, "Relations per tenant", issue 14's fourth pass):

- a staff membership is keyed by its user (one a user): no id column and no second unique index;
- a unit's address is bounded (500 characters), so the unit table keeps no TOAST table and index;
- the services of a unit are not looked up through an index of their own: the link table is a
  few rows a unit, read through its (service, unit) unique index everywhere but the reports'
  unit filter, which reads it whole.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop, key_column_replace, key_column_restore, toast_tables_drop

UNUSED_INDEXES = {
    "catalog_service_units_unit_id_d11c5181": "catalog_service_units (unit_id)",
}

# The unique index on the user becomes the primary key: no id, one index fewer. (Django's
# AlterField would keep the unique constraint beside the new key.)
MEMBERSHIP_KEYED_BY_USER = key_column_replace("catalog_staffmembership", "user_id")
MEMBERSHIP_KEYED_BY_ID = key_column_restore("catalog_staffmembership", "user_id")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0009_fewer_indexes_2"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(MEMBERSHIP_KEYED_BY_USER, reverse_sql=MEMBERSHIP_KEYED_BY_ID)],
            state_operations=[
                migrations.RemoveField(model_name="staffmembership", name="id"),
                migrations.AlterField(
                    model_name="staffmembership",
                    name="user",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="membership", serialize=False, to=settings.AUTH_USER_MODEL, verbose_name="کاربر"),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="unit",
            name="address",
            field=models.CharField(blank=True, max_length=500, verbose_name="نشانی"),
        ),
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
        # Going back leaves it PLAIN: nothing depends on a TOAST table.
        migrations.RunSQL(toast_tables_drop(["catalog_unit"]), reverse_sql=migrations.RunSQL.noop),
    ]
