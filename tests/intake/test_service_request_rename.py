"""The model ServiceRequest became ServiceRequest (issue 12, item 10) without touching any schema: the
migration is state only, and the content type was renamed in place, not added beside the old one."""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from intake.models import ServiceRequest


def test_the_rename_migration_changes_no_table(db):
    out = io.StringIO()
    call_command("sqlmigrate", "intake", "0014_service_request", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if line and not line.startswith("--") and line not in ("BEGIN;", "COMMIT;")]
    assert statements == []
    assert ServiceRequest._meta.db_table == "intake_request"


def test_a_tenant_has_one_content_type_for_requests(tenant_a):
    # A tenant's content types are the public schema's (accounts.0008): the tenant has no table of its own.
    with schema_context(tenant_a.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{tenant_a.schema_name}.django_content_type"])
        assert cursor.fetchone()[0] is None
        models = set(ContentType.objects.filter(app_label="intake").values_list("model", flat=True))
    assert "servicerequest" in models and "request" not in models
