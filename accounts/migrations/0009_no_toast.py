"""No TOAST table for a user or a migration record (README, "Relations per tenant"): every
column of both is bounded (a row fits a page whatever it holds), so their varying-length
columns are stored PLAIN and PostgreSQL keeps no TOAST table and index for them: 4 relations
a schema. A later text, jsonb or unbounded column on these tables brings the TOAST table back
(tests/tenants/test_relations_per_tenant.py counts it)."""

from django.db import migrations

from lib.postgresql.migration_sql import toast_tables_drop


class Migration(migrations.Migration):

    dependencies = [("accounts", "0008_no_groups_permissions")]

    operations = [
        # Going back leaves them PLAIN: nothing depends on a TOAST table.
        migrations.RunSQL(toast_tables_drop(["accounts_user", "django_migrations"]), reverse_sql=migrations.RunSQL.noop),
    ]
