"""Fewer relations in every tenant schema (README, "Relations per tenant", issue 14's fourth pass):

- a gateway's sealed credentials are bounded (a size CHECK; the form's few short fields), so the
  gateway table keeps no TOAST table and index;
- a payment's fee is not indexed (payments are read by wizard token, public id or time; only a
  fee's deletion looks them up by it), nor the gateways of a fee in the link table (a fee's
  gateway is found through the gateway's side, the (gateway, fee) unique index).
"""

import django.db.models.deletion
from django.db import migrations, models

import lib.postgresql.stored_size
from lib.postgresql.migration_sql import indexes_create, indexes_drop, toast_tables_drop

UNUSED_INDEXES = {
    "payments_payment_fee_id_18550ee6": "payments_payment (fee_id)",
    "payments_gateway_fees_fee_id_abe8e2ac": "payments_gateway_fees (fee_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0010_fewer_relations"),
        ("payments", "0004_fewer_indexes_2"),
    ]

    operations = [
        # The indexes alone: Django's AlterField would also drop and re-add (re-check) the foreign key.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES))],
            state_operations=[
                migrations.AlterField(
                    model_name="payment",
                    name="fee",
                    field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="payments", to="catalog.fee"),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="gateway",
            constraint=lib.postgresql.stored_size.stored_at_most("credentials_sealed", 4000, name="payments_gateway_credentials_fit_page"),
        ),
        # Going back leaves it PLAIN: nothing depends on a TOAST table.
        migrations.RunSQL(toast_tables_drop(["payments_gateway"]), reverse_sql=migrations.RunSQL.noop),
    ]
