"""Every tenant schema has exactly the template's tables, columns, constraints and indexes,
and the template equals what the migrations themselves build."""

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.models import TemplateSchema, Tenant
from tenants.provisioning import migrations_fingerprint, schema_signature, template_ensure, template_schema_name

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def test_every_tenant_schema_matches_the_template(db):
    template = schema_signature(template_schema_name())
    assert len({row[0] for row in template["columns"]}) == TemplateSchema.objects.get().table_count
    assert template["indexes"] and template["constraints"]
    for tenant in Tenant.objects.all():
        assert schema_signature(tenant.schema_name) == template, tenant.schema_name


def test_a_copied_schema_equals_one_built_by_migrations(db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t_by_migrations"')
    call_command("migrate_schemas", schema_name="t_by_migrations", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert schema_signature("t_by_migrations") == schema_signature("t_alpha")


def test_the_template_is_rebuilt_when_the_migrations_change(db):
    # A template row from another state of the migrations is stale.
    TemplateSchema.objects.update(fingerprint="an-older-set-of-migrations", ddl="SELECT 1")
    rebuilt = template_ensure()
    assert rebuilt.fingerprint == migrations_fingerprint()
    assert "CREATE TABLE" in rebuilt.ddl
    assert list(TemplateSchema.objects.values_list("fingerprint", flat=True)) == [migrations_fingerprint()]
    assert schema_signature(template_schema_name()) == schema_signature("t_beta")


def test_drift_command_reports_a_changed_tenant(db):
    call_command("check_schema_drift")
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "t_beta"."portal_themes_theme" ADD COLUMN surprise integer')
    try:
        call_command("check_schema_drift")
    except Exception as error:
        assert "t_beta" in str(error)
    else:
        raise AssertionError("the drift went unnoticed")


def test_a_copy_from_a_template_that_changed_meanwhile_makes_nothing(db):
    """A copy reads the template's PLAIN tables (CREATE TABLE … LIKE): one made from a template
    record that a release's migration replaced in the meantime stops before making anything."""
    from tenants.provisioning import TemplateChanged, schema_create_from_template

    template = template_ensure()
    TemplateSchema.objects.filter(pk=template.pk).update(fingerprint="a-newer-set-of-migrations")
    with pytest.raises(TemplateChanged):
        schema_create_from_template(schema_name="t_too_late", template=template)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 't_too_late'")
        assert cursor.fetchone() is None
