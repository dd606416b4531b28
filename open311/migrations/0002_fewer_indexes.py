"""Fewer indexes in every tenant schema (README, "Relations per tenant"): the `_like`
(varchar_pattern_ops) copy of an API key's hash, which is looked up by equality only."""

from django.db import migrations

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "open311_apikey_key_hash_974e6c1c_like": "open311_apikey (key_hash varchar_pattern_ops)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("open311", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
