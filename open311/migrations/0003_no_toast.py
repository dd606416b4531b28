"""No TOAST table for an API key (README, "Relations per tenant"): every column is bounded, so
its varying-length columns are stored PLAIN and PostgreSQL keeps no TOAST table and index for it
(lib.postgresql.migration_sql.toast_tables_drop): 2 relations a schema."""

from django.db import migrations

from lib.postgresql.migration_sql import toast_tables_drop


class Migration(migrations.Migration):

    dependencies = [("open311", "0002_fewer_indexes")]

    operations = [
        migrations.RunSQL(toast_tables_drop(["open311_apikey"]), reverse_sql=migrations.RunSQL.noop),
    ]
