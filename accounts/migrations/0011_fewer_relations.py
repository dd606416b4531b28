"""No TOAST table for a role's audit or an MFA authenticator (README, "Relations per tenant"):
their jsonb columns hold a few short values (a role's snapshot; a TOTP secret or a recovery
codes' seed), now bounded by a size CHECK, so every column is stored PLAIN and PostgreSQL keeps
no TOAST table and index for them (lib.postgresql.migration_sql.toast_tables_drop): 4 relations
a schema."""

from django.db import migrations

import lib.postgresql.stored_size
from lib.postgresql.migration_sql import toast_tables_drop
from lib.postgresql.stored_size import stored_at_most_sql

# allauth's MFA data: {"secret": sealed TOTP secret} or {"seed": …, "used_mask": …}.
MFA_DATA_BYTES = 2000
MFA_FORWARD, MFA_REVERSE = stored_at_most_sql("mfa_authenticator", "data", MFA_DATA_BYTES, name="mfa_authenticator_data_fits_page")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0010_email_lookup_index"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="roleaudit",
            constraint=lib.postgresql.stored_size.stored_at_most("before", 2500, name="accounts_roleaudit_before_fits_page"),
        ),
        migrations.AddConstraint(
            model_name="roleaudit",
            constraint=lib.postgresql.stored_size.stored_at_most("after", 2500, name="accounts_roleaudit_after_fits_page"),
        ),
        migrations.RunSQL(MFA_FORWARD, reverse_sql=MFA_REVERSE),
        # Going back leaves them PLAIN: nothing depends on a TOAST table.
        migrations.RunSQL(toast_tables_drop(["accounts_roleaudit", "mfa_authenticator"]), reverse_sql=migrations.RunSQL.noop),
    ]
