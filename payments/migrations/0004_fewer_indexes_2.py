"""Fewer indexes in every tenant schema (README, "Relations per tenant", issue 14's third pass):
a payment's service, by which nothing reads payments (the callback, the wizard and the staff
pages read them by public id, wizard token or creation time); only deleting a service, which
nothing here does but Django admin, sets it to NULL."""

import django.db.models.deletion
from django.db import migrations, models

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "payments_payment_service_id_92858a08": "payments_payment (service_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0009_fewer_indexes_2"),
        ("payments", "0003_fewer_lookup_indexes"),
    ]

    operations = [
        # The index alone: Django's AlterField would also drop and re-add (re-check) each foreign key.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES))],
            state_operations=[
                migrations.AlterField(
                    model_name="payment",
                    name="service",
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="payments", to="catalog.service"),
                ),
            ],
        ),
    ]
