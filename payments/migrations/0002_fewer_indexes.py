"""Fewer indexes in every tenant schema (README, "Relations per tenant"): the `_like`
(varchar_pattern_ops) copies of a payment's gateway authority and status, which are looked up by
equality only, and a gateway's fees by gateway (the unique (gateway_id, fee_id) leads with it)."""

from django.db import migrations

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "payments_payment_authority_f14b566b_like": "payments_payment (authority varchar_pattern_ops)",
    "payments_payment_status_fc8cbda2_like": "payments_payment (status varchar_pattern_ops)",
    "payments_gateway_fees_gateway_id_486cdecd": "payments_gateway_fees (gateway_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
