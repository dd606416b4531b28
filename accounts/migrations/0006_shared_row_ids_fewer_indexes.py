"""Fewer relations in every schema (README, "Relations per tenant").

Ids from the two shared sequences instead of a sequence per table (lib/postgresql/base.py),
and no index that no query uses: the `_like` (varchar_pattern_ops) copies Django adds for a
unique or indexed CharField, which only a LIKE 'prefix%' would use and none does here (allauth
looks e-mail addresses up by equality on the lowered address), and the one-column indexes
whose column already leads a unique index on the same table. Tenant users never use Django's
groups or permissions, so those link tables hold no rows in a tenant schema (and a handful in
public). Runs in the public schema and in every tenant schema."""

from django.db import migrations, models

from lib.postgresql.migration_sql import identities_to_shared_sequences, indexes_create, indexes_drop

UNUSED_INDEXES = {
    "accounts_user_email_b2644a56_like": "accounts_user (email varchar_pattern_ops)",
    "accounts_user_mobile_68a76a25_like": "accounts_user (mobile varchar_pattern_ops)",
    # The unique (user_id, group_id) and (user_id, permission_id) lead with user_id.
    "accounts_user_groups_user_id_52b62117": "accounts_user_groups (user_id)",
    "accounts_user_groups_group_id_bd11a704": "accounts_user_groups (group_id)",
    "accounts_user_user_permissions_user_id_e4f0a161": "accounts_user_user_permissions (user_id)",
    "accounts_user_user_permissions_permission_id_113bb443": "accounts_user_user_permissions (permission_id)",
    "auth_group_name_a6ea08ec_like": "auth_group (name varchar_pattern_ops)",
    "auth_group_permissions_group_id_b120cbf9": "auth_group_permissions (group_id)",
    "auth_group_permissions_permission_id_84c5c92e": "auth_group_permissions (permission_id)",
    # The unique (content_type_id, codename) leads with content_type_id.
    "auth_permission_content_type_id_2f476e4b": "auth_permission (content_type_id)",
    # The unique (user_id, email) leads with user_id.
    "account_emailaddress_user_id_2c513194": "account_emailaddress (user_id)",
    "account_emailaddress_email_03be32b2_like": "account_emailaddress (email varchar_pattern_ops)",
    # allauth confirms e-mail addresses by HMAC: this table stays empty.
    "account_emailconfirmation_key_f43612bd_like": "account_emailconfirmation (key varchar_pattern_ops)",
    "account_emailconfirmation_email_address_id_5b7f8c58": "account_emailconfirmation (email_address_id)",
    "django_session_session_key_c0390e0f_like": "django_session (session_key varchar_pattern_ops)",
    # A staff member has at most two authenticators (TOTP, recovery codes); citizens none.
    "mfa_authenticator_user_id_0c3a50c0": "mfa_authenticator (user_id)",
}


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_roleaudit_actions"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="province_code",
            field=models.SlugField(blank=True, db_index=False, default="", max_length=40, verbose_name="استان ناظر"),
        ),
        migrations.RunSQL(indexes_drop(UNUSED_INDEXES), reverse_sql=indexes_create(UNUSED_INDEXES)),
        # Ids stay valid either way: going back leaves the columns on the shared sequences.
        migrations.RunSQL(identities_to_shared_sequences(), reverse_sql=migrations.RunSQL.noop),
    ]
