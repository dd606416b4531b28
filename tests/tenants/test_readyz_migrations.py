"""/readyz and migrations: a release whose migrations are not applied is not ready until
`migrate_tenants` finished every schema; the code before the release stays ready meanwhile
(its migrations are a subset of what is applied: README, "Releases")."""

from __future__ import annotations

import io
import json

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from tests.clients import host_client
from tests.workers import database_url_for


def _readyz(settings):
    response = host_client(settings.PLATFORM_DOMAIN).get("/readyz")
    return response.status_code, json.loads(response.content)


def _migrate(**options) -> None:
    call_command("migrate_tenants", skip_public=True, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def test_not_ready_until_every_schema_has_the_new_migrations(temporary_migrations, settings):
    # The new code knows two migrations more than the database holds: nothing is migrated yet.
    status, body = _readyz(settings)
    assert (status, body["status"]) == (503, "not ready")
    assert body["checks"]["template_schema"] == "2 not applied: portal_themes.9001_tmp_note, portal_themes.9002_tmp_fill"
    assert body["checks"]["tenant_schemas"].split(" of ")[0] != "0" and "not migrated" in body["checks"]["tenant_schemas"]
    assert body["checks"]["public_schema"] == "ok"  # a tenant app's migration changes nothing there
    assert body["waiting_for"] == ["template_schema", "tenant_schemas"]

    # The template migrated, one tenant's table busy: that schema is left behind.
    holder = psycopg.connect(database_url_for(connection.settings_dict["NAME"]))
    try:
        holder.execute('LOCK TABLE "t_beta".portal_themes_theme IN ACCESS EXCLUSIVE MODE')
        with pytest.raises(CommandError):
            _migrate(jobs=2, lock_timeout=0.2, attempts=1)
    finally:
        holder.rollback()
        holder.close()
    status, body = _readyz(settings)
    assert (status, body["waiting_for"]) == (503, ["tenant_schemas"])
    assert body["checks"]["template_schema"] == "ok" and body["checks"]["tenant_schemas"].startswith("1 of ")
    assert "t_beta" not in json.dumps(body)

    # The code before the release (no temporary migrations) is ready all along: t_beta holds
    # exactly its migrations, every other schema more.
    with override_settings(MIGRATION_MODULES={}):
        status, body = _readyz(settings)
        assert (status, body["status"], body["waiting_for"]) == (200, "ready", []), body

    _migrate(jobs=2)
    status, body = _readyz(settings)
    assert (status, body["status"], body["waiting_for"]) == (200, "ready", []), body
