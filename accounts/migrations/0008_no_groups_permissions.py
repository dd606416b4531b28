"""No Django groups, permissions or content types in tenant schemas (README, "Relations per
tenant"): 18 relations a tenant that nothing read.

The user model no longer has PermissionsMixin (tenant staff have a role; Django admin, on the
platform domain only, admits active superusers), so its two link tables go from every schema,
public included (accounts.0001 no longer makes them). `django.contrib.auth` and
`django.contrib.contenttypes` are shared apps only now (settings.TENANT_APPS): the router keeps
their migrations and their post_migrate (content types, permissions) out of tenant schemas, a
new tenant schema never has their tables, and this migration drops them from the template, the
spares and each tenant made before. Each table by name in this schema only: an unqualified name
would reach public's through the search_path."""

from django.db import migrations

from lib.postgresql.migration_sql import tables_drop

USER_LINK_TABLES = ["accounts_user_groups", "accounts_user_user_permissions"]
AUTH_TABLES = ["auth_group_permissions", "auth_permission", "auth_group", "django_content_type"]


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_session_expiry_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0014_service_request"),  # its RunPython renamed a tenant's permissions
    ]

    operations = [
        # Going back leaves them out: nothing reads them.
        migrations.RunSQL(tables_drop(USER_LINK_TABLES, public=True), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(tables_drop(AUTH_TABLES), reverse_sql=migrations.RunSQL.noop),
    ]
