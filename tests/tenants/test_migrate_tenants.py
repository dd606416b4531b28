"""`migrate_tenants`: a deploy with nothing to do reads every schema's state in one query; a
plain-SQL migration is replayed from the template, a RunPython one runs through Django's
executor for each schema; a schema whose table is busy is listed with its error while the
others migrate, and a re-run finishes it; every schema equals the template after."""

from __future__ import annotations

import io

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import MigrationCapture, MigrationRun, SpareSchema
from tenants.provisioning import migrations_fingerprint, quote_name, template_schema_name
from tenants.schema_migrations import schema_states, tenants_migrate
from tests.workers import database_url_for

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def _columns(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = 'portal_themes_theme'",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def _notes(schema: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tmp_note FROM {quote_name(schema)}.portal_themes_theme")
        return [row[0] for row in cursor.fetchall()]


def _migrate(**options) -> str:
    out = io.StringIO()
    call_command("migrate_tenants", skip_public=True, stdout=out, stderr=out, **options)
    return out.getvalue()


def test_a_deploy_with_nothing_to_do_reads_every_schema_in_one_query(committed):
    _migrate()  # whatever earlier tests left, every schema is current now
    with CaptureQueriesContext(connection) as queries:
        overview = schema_states()
    assert len(queries) == 1 == overview.queries
    assert {"t_alpha", "t_beta"} <= {s.name for s in overview.schemas}
    assert not overview.pending and not overview.missing

    with CaptureQueriesContext(connection) as queries:
        result = tenants_migrate()
    # Every tenant schema is read by the one state query, and nothing else is asked of any of them.
    assert len([q for q in queries if "mizban_migrations_md5" in q["sql"]]) == 1
    assert not [q for q in queries if "t_alpha" in q["sql"] or "t_beta" in q["sql"]]
    assert result.outcome.migrated == [] and result.run.outcome == MigrationRun.Outcome.SUCCEEDED
    assert result.run.schemas_current == len(overview.schemas)
    assert "0 to migrate" in _migrate()


def test_sql_migrations_are_replayed_and_runpython_runs_per_schema(spare, temporary_migrations):
    output = _migrate(jobs=2)

    assert "portal_themes.9001_tmp_note: replay (2 statements captured on the template)" in output
    assert "portal_themes.9002_tmp_fill: executor (RunPython)" in output
    captured = MigrationCapture.objects.get(app_label="portal_themes", name="9001_tmp_note")
    assert any("ADD COLUMN" in sql for sql in captured.statements)
    schemas = ["t_alpha", "t_beta", spare, template_schema_name()]
    for schema in schemas:
        assert "tmp_note" in _columns(schema), schema
    for schema in ["t_alpha", "t_beta"]:
        assert _notes(schema) == ["filled by RunPython"], schema
    assert "9001_tmp_note: replay on" in output and "9002_tmp_fill: executor on" in output
    run = MigrationRun.objects.first()
    assert run.outcome == MigrationRun.Outcome.SUCCEEDED and run.schemas_migrated >= 3 and not run.failures
    assert {(p["migration"], p["path"]) for p in run.paths} >= {
        ("portal_themes.9001_tmp_note", "replay"), ("portal_themes.9002_tmp_fill", "executor")
    }
    assert SpareSchema.objects.get(name=spare).fingerprint == migrations_fingerprint()  # onboarding may take it
    call_command("check_schema_drift", stdout=io.StringIO())  # raises on any difference
    assert "0 to migrate" in _migrate()


def test_a_busy_schema_is_listed_the_others_migrate_and_a_rerun_finishes(temporary_migrations):
    holder = psycopg.connect(database_url_for(connection.settings_dict["NAME"]))
    try:
        holder.execute('LOCK TABLE "t_beta".portal_themes_theme IN ACCESS EXCLUSIVE MODE')  # a transaction stays open
        with pytest.raises(CommandError, match="could not be migrated: 1"):
            _migrate(jobs=2, lock_timeout=0.2, attempts=2)
        run = MigrationRun.objects.first()
        assert run.outcome == MigrationRun.Outcome.FAILED
        [failure] = run.failures
        assert failure["schema"] == "t_beta" and "lock timeout" in failure["error"]
        assert "tmp_note" in _columns("t_alpha") and _notes("t_alpha") == ["filled by RunPython"]
        assert "tmp_note" not in _columns("t_beta")  # all or nothing: untouched
        assert [s.name for s in schema_states().pending] == ["t_beta"]
    finally:
        holder.rollback()
        holder.close()

    output = _migrate(jobs=2)
    assert "1 to migrate" in output and "1 migrated" in output
    assert _notes("t_beta") == ["filled by RunPython"]
    assert MigrationRun.objects.first().outcome == MigrationRun.Outcome.SUCCEEDED
    call_command("check_schema_drift", stdout=io.StringIO())


def test_a_broken_schema_is_listed_with_its_error(temporary_migrations):
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "t_beta".portal_themes_theme RENAME TO theme_elsewhere')
    try:
        with pytest.raises(CommandError):
            _migrate(jobs=2)
        [failure] = MigrationRun.objects.first().failures
        assert failure["schema"] == "t_beta" and "portal_themes_theme" in failure["error"]
        assert "tmp_note" in _columns("t_alpha")
    finally:
        with connection.cursor() as cursor:
            cursor.execute('ALTER TABLE "t_beta".theme_elsewhere RENAME TO portal_themes_theme')
    assert "1 migrated" in _migrate(jobs=2)
    call_command("check_schema_drift", stdout=io.StringIO())


def test_a_public_apps_data_step_is_no_step_in_a_tenant_schema():
    """insights.0003 fills public tables with RunPython: in a tenant schema the router skips it, so
    every tenant records it without Django's executor (at 1,000 tenants the executor path took
    two seconds a schema for nothing); a tenant app's RunPython still takes the executor."""
    from django.db.migrations.loader import MigrationLoader

    from tenants.schema_migrations import migration_path

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert migration_path(graph.nodes[("insights", "0003_ranking_kept")]) == (MigrationCapture.Path.REPLAY, "")
    assert migration_path(graph.nodes[("accounts", "0006_shared_row_ids_fewer_indexes")])[0] == MigrationCapture.Path.REPLAY
    tenant_runpython = [key for key, migration in graph.nodes.items() if key[0] == "intake"
                        and any(type(op).__name__ == "RunPython" for op in migration.operations)]
    assert tenant_runpython and migration_path(graph.nodes[tenant_runpython[0]]) == (MigrationCapture.Path.EXECUTOR, "RunPython")
