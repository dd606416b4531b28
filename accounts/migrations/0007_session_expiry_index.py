"""Fewer indexes in every schema (README, "Relations per tenant"): Django's index on a session's
expiry date serves only `clearsessions`, which nothing here runs (a session is read by its key,
the primary key, and its expiry checked on that row)."""

from django.db import migrations

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "django_session_expire_date_a5c62663": "django_session (expire_date)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_shared_row_ids_fewer_indexes"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
