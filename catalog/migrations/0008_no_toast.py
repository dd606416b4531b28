"""No TOAST table for a fee change or a law (README, "Relations per tenant"): every column of
both is bounded, so their varying-length columns are stored PLAIN and PostgreSQL keeps no TOAST
table and index for them (lib.postgresql.migration_sql.toast_tables_drop): 4 relations a schema."""

from django.db import migrations

from lib.postgresql.migration_sql import toast_tables_drop


class Migration(migrations.Migration):

    dependencies = [("catalog", "0007_fewer_indexes")]

    operations = [
        migrations.RunSQL(toast_tables_drop(["catalog_feechange", "catalog_law"]), reverse_sql=migrations.RunSQL.noop),
    ]
