"""Fewer indexes in every schema (README, "Relations per tenant", issue 14's third pass): allauth's
index on an e-mail address. Only staff have addresses (citizens sign in with a mobile number),
a few dozen a tenant, read whole by allauth's sign-in, reset and invitation look-ups; the verified
ones are also under the partial unique index `unique_verified_email`."""

from django.db import migrations

from lib.postgresql.migration_sql import indexes_create, indexes_drop

UNUSED_INDEXES = {
    "account_emailaddress_email_03be32b2": "account_emailaddress (email)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_no_toast"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
    ]
