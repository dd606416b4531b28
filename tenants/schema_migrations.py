"""Migrations across every tenant schema (`manage.py migrate_tenants`).

django-tenants' `migrate_schemas` runs Django's `migrate` once per schema: it loads the
migration graph and reads the catalogue for each tenant, 0.8 s per tenant with nothing to
do here (13 minutes for a no-op deploy at 1,000 tenants). Instead:

- the state of every schema is read in one query: the md5 of each schema's own
  `django_migrations`, against the template's, beside the fingerprint recorded in
  `SchemaMigrationState` when the schema was last migrated; a schema at the template's state is
  skipped without anything else being loaded for it;
- pending migrations are applied to the template first, through Django's executor, and the SQL
  each one ran is captured (`MigrationCapture`); a migration that is plain SQL is then replayed
  on every other schema (`replay`), one with RunPython (or anything that is not SQL) runs through
  Django's executor for each schema (`executor`), both over N connections at once;
- each schema is migrated in its own transaction (all of its pending migrations and its
  recorded fingerprint), with `lock_timeout` and
  `statement_timeout` set for it: a schema whose table is busy gives up, is tried again after
  the others, and is listed with its error if it never gets through; a re-run continues.

Spare schemas follow the same path as tenants; the template is stored again for onboarding.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import RunPython, SeparateDatabaseAndState
from django.utils import timezone

from tenants.models import MigrationCapture, MigrationRun, SchemaMigrationState, SpareSchema, TemplateSchema, Tenant
from tenants.provisioning import (
    TEMPLATE_LOCK, _tenant_app_labels, migrations_fingerprint, quote_name, template_ensure, template_record, template_schema_name,
)

logger = logging.getLogger(__name__)

STATE_BATCH = 2000  # schemas per state query: it holds a lock per schema until it ends
_RETRYABLE_SQLSTATES = {"55P03", "57014", "40P01"}  # lock_not_available, query_canceled, deadlock


def _fingerprint_sql(schema: str) -> str:
    return (
        f"SELECT md5(coalesce(string_agg(app || '.' || name, ',' ORDER BY app, name), '')) "
        f"FROM {quote_name(schema)}.django_migrations"
    )


@dataclass
class SchemaState:
    name: str
    kind: str  # "tenant", "spare" or "template"
    live: str | None = None  # md5 of its django_migrations; None: the schema or the table is missing
    recorded: str | None = None
    spare_fingerprint: str | None = None


@dataclass
class Overview:
    target: str | None
    schemas: list[SchemaState]
    queries: int

    @property
    def pending(self) -> list[SchemaState]:
        return [s for s in self.schemas if s.live is not None and s.live != self.target]

    @property
    def missing(self) -> list[SchemaState]:
        return [s for s in self.schemas if s.live is None]


def schema_states() -> Overview:
    """Every tenant and spare schema with its live and recorded fingerprints, and the
    template's: one query for up to STATE_BATCH schemas, whatever the number of tenants."""
    if connection.schema_name != "public":
        connection.set_schema_to_public()
    schemas: list[SchemaState] = []
    target, queries, after = None, 0, ""
    with connection.cursor() as cursor:
        while True:
            template = template_schema_name()
            cursor.execute(_STATES_SQL, [Tenant.Status.PROVISIONING, template, after, STATE_BATCH])
            rows = cursor.fetchall()
            queries += 1
            for name, kind, spare_fingerprint, recorded, live, template_live in rows:
                schemas.append(SchemaState(name=name, kind=kind, spare_fingerprint=spare_fingerprint, recorded=recorded, live=live))
                target = template_live
            if len(rows) < STATE_BATCH:
                break
            after = rows[-1][0]
        if target is None:  # no schema at all: the template's own state
            cursor.execute(f"SELECT {_live_sql('%s')}", [template_schema_name()])
            target = cursor.fetchone()[0]
    return Overview(target=target, schemas=schemas, queries=queries)


def _live_sql(name_sql: str) -> str:
    """md5 of a schema's own django_migrations, read by a function that queries that schema
    (public.mizban_migrations_md5, tenants migration 0008): a UNION ALL of one subquery per
    schema takes PostgreSQL 29 s to plan at 1,000 schemas. NULL when the schema or its table
    is missing."""
    return f"public.mizban_migrations_md5({name_sql})"


_STATES_SQL = f"""
    WITH schemas AS (
        SELECT schema_name AS name, 'tenant' AS kind, NULL AS spare_fingerprint FROM public.{Tenant._meta.db_table}
        WHERE status <> %s
        UNION ALL SELECT name, 'spare', fingerprint FROM public.{SpareSchema._meta.db_table})
    SELECT s.name, s.kind, s.spare_fingerprint, r.fingerprint, {_live_sql('s.name')}, template.live
    FROM schemas s LEFT JOIN public.{SchemaMigrationState._meta.db_table} r ON r.schema_name = s.name
    CROSS JOIN (SELECT {_live_sql('%s')} AS live) template
    WHERE s.name > %s ORDER BY s.name LIMIT %s"""


# --- The template ---------------------------------------------------------------------------


def _not_replayable(operation: Operation) -> str:
    """Why this operation cannot be replayed as SQL, or "" when it can."""
    if isinstance(operation, SeparateDatabaseAndState):
        return next((r for r in map(_not_replayable, operation.database_operations) if r), "")
    if isinstance(operation, RunPython):
        return "RunPython"
    if not getattr(operation, "reduces_to_sql", True):
        return type(operation).__name__
    return ""


def migration_path(migration) -> tuple[str, str]:
    """(path, reason): `replay` for a migration that is SQL only, else `executor` and why. A
    migration of an app that is not a tenant app does nothing in a tenant schema (the router skips
    each of its operations; the template captured none): it is replayed as nothing and recorded,
    never run through the executor on every schema because its public data step is RunPython."""
    if migration.app_label not in _tenant_app_labels():
        return MigrationCapture.Path.REPLAY, ""
    if not migration.atomic:
        return MigrationCapture.Path.EXECUTOR, "atomic = False"
    reason = next((r for r in map(_not_replayable, migration.operations) if r), "")
    return (MigrationCapture.Path.EXECUTOR, reason) if reason else (MigrationCapture.Path.REPLAY, "")


class _StatementCapture(logging.Handler):
    """Django's schema editor logs every statement it runs (django.db.backends.schema); keep
    them as `sqlmigrate` would print them (parameters inlined)."""

    def __init__(self, editor):
        super().__init__(logging.DEBUG)
        self.editor = editor
        self.statements: list[str] = []

    def emit(self, record):
        sql, params = getattr(record, "sql", None), getattr(record, "params", None)
        if sql is None:
            return
        self.statements.append(sql if params is None else sql % tuple(map(self.editor.quote_value, params)))

    def __enter__(self):
        self._logger = logging.getLogger("django.db.backends.schema")
        self._saved = (self._logger.level, self._logger.propagate)
        self._logger.setLevel(logging.DEBUG)
        self._logger.propagate = False
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved[0])
        self._logger.propagate = self._saved[1]


def template_migrate(*, report: Callable[[str], None] = lambda line: None) -> list[MigrationCapture]:
    """Apply the pending migrations to the template through Django's executor, capturing what
    each ran; then store the template for onboarding. The captures, in the order applied.
    One at a time across processes (an onboarding may want the template meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
    try:
        return _template_migrate(report)
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])


def _template_migrate(report: Callable[[str], None]) -> list[MigrationCapture]:
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{quote_name(name)}.django_migrations"])
        exists = cursor.fetchone()[0]
    if not exists:
        report(f"Template {name}: built from the migrations.")
        template_ensure(force=True)
        return []
    connection.set_schema(name, include_public=True)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    report(f"Template {name}: " + (f"{len(plan)} migration(s) to apply." if plan else "at the latest migrations."))
    captures = []
    for migration, _backwards in plan:
        path, reason = migration_path(migration)
        state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
        with _StatementCapture(connection.schema_editor()) as capture:
            executor.apply_migration(state, migration)
        statements = capture.statements if path == MigrationCapture.Path.REPLAY else []
        captures.append(_capture_save(migration, path, reason, statements))
        report(f"  {migration.app_label}.{migration.name}: {_path_words(path, reason, len(statements))}")
    if plan:
        _template_post_migrate(executor, plan)
    connection.set_schema_to_public()
    if plan or not TemplateSchema.objects.filter(fingerprint=migrations_fingerprint()).exists():
        template_record()
    return captures


def _path_words(path: str, reason: str, count: int) -> str:
    if path == MigrationCapture.Path.REPLAY:
        return f"replay ({count} statement{'s' if count != 1 else ''} captured on the template)"
    return f"executor ({reason}), through Django's migrations on each schema"


def _capture_save(migration, path: str, reason: str, statements: list[str]) -> MigrationCapture:
    schema = connection.schema_name
    connection.set_schema_to_public()
    capture, _ = MigrationCapture.objects.update_or_create(
        app_label=migration.app_label, name=migration.name,
        defaults={"path": path, "reason": reason, "statements": statements},
    )
    connection.set_schema(schema, include_public=True)
    return capture


def _template_post_migrate(executor, plan) -> None:
    """post_migrate, as `migrate` sends it after a run (the router keeps contenttypes' and auth's
    receivers out of tenant schemas: their tables are in public only)."""
    from django.core.management.sql import emit_post_migrate_signal

    apps = executor.loader.project_state().apps
    emit_post_migrate_signal(0, False, connection.alias, apps=apps, plan=plan)


# --- Every other schema ---------------------------------------------------------------------


@dataclass
class Step:
    key: tuple[str, str]
    path: str
    statements: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    migrated: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    steps: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # key -> (path, schemas)


class _Plan:
    """What a schema lacks, in the graph's order, and how each migration reaches it. The graph
    is loaded once, and only when some schema has something to do."""

    def __init__(self, template_applied: list[tuple[str, str]]):
        connection.set_schema(template_schema_name(), include_public=True)
        loader = MigrationExecutor(connection).loader
        connection.set_schema_to_public()
        applied = set(template_applied)
        order = [key for key in _graph_order(loader) if key in applied]
        captures = {(c.app_label, c.name): c for c in MigrationCapture.objects.all()}
        self.loader = loader
        self.fingerprint = migrations_fingerprint()
        self.order = order
        self.captures = captures
        self._states: dict[tuple[str, str], object] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def executor(self) -> MigrationExecutor:
        """Django's executor on this thread's connection, made once per thread (it records
        into whichever schema the connection is on)."""
        if getattr(self._local, "executor", None) is None:
            self._local.executor = MigrationExecutor(connection)
        return self._local.executor

    def steps_for(self, applied: set[tuple[str, str]]) -> list[Step]:
        steps = []
        for key in self.order:
            if key in applied:
                continue
            capture = self.captures.get(key)
            if capture and capture.path == MigrationCapture.Path.REPLAY:
                steps.append(Step(key, MigrationCapture.Path.REPLAY, capture.statements))
            else:  # RunPython, or applied to the template before captures existed
                steps.append(Step(key, MigrationCapture.Path.EXECUTOR))
        return steps

    def pre_state(self, key):
        """The project state before this migration, rendered once and cloned per schema."""
        with self._lock:
            if key not in self._states:
                state = self.loader.project_state(key, at_end=False)
                state.apps  # noqa: B018  (render the models once, here)
                self._states[key] = state
            return self._states[key].clone()


def _graph_order(loader) -> list[tuple[str, str]]:
    seen, order = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                order.append(key)
    return order


def _applied(cursor, schema: str) -> list[tuple[str, str]]:
    cursor.execute(f"SELECT app, name FROM {quote_name(schema)}.django_migrations ORDER BY id")
    return [tuple(row) for row in cursor.fetchall()]


def _schema_migrate(schema: str, plan: _Plan, *, lock_timeout: float, statement_timeout: float, template_fp: str) -> list[Step]:
    """All of a schema's pending migrations in one transaction, on this thread's connection."""
    connection.set_schema(schema, include_public=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true),"
            " set_config('search_path', %s, true)",
            [f"{int(lock_timeout * 1000)}ms", f"{int(statement_timeout * 1000)}ms", f"{quote_name(schema)}, public"],
        )
        steps = plan.steps_for(set(_applied(cursor, schema)))
        for step in steps:
            if step.path == MigrationCapture.Path.REPLAY:
                for sql in step.statements:
                    cursor.execute(sql)
                cursor.execute(
                    f"INSERT INTO {quote_name(schema)}.django_migrations (app, name, applied) VALUES (%s, %s, now())",
                    list(step.key),
                )
            else:
                plan.executor().apply_migration(plan.pre_state(step.key), plan.loader.graph.nodes[step.key])
        _state_record(cursor, schema)
        cursor.execute(_fingerprint_sql(schema))
        if cursor.fetchone()[0] != template_fp:
            raise RuntimeError("after its migrations the schema still differs from the template's migrations")
        cursor.execute(f"UPDATE public.{SpareSchema._meta.db_table} SET fingerprint = %s WHERE name = %s", [plan.fingerprint, schema])
    return steps


def _state_record(cursor, schema: str) -> None:
    # The fingerprint read first, then written: on Citus the schema's tables are on a worker and
    # an INSERT into a coordinator table cannot hold a subquery reading them.
    cursor.execute(_fingerprint_sql(schema))
    fingerprint = cursor.fetchone()[0]
    cursor.execute(
        f"""INSERT INTO public.{SchemaMigrationState._meta.db_table} (schema_name, fingerprint, migrated_at)
            VALUES (%s, %s, now())
            ON CONFLICT (schema_name) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, migrated_at = EXCLUDED.migrated_at""",
        [schema, fingerprint],
    )


def _retryable(error: BaseException) -> bool:
    cause = error.__cause__ or error
    return getattr(getattr(cause, "diag", None), "sqlstate", None) in _RETRYABLE_SQLSTATES


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:500]


def schemas_migrate(
    names: list[str], plan: _Plan, *, template_fp: str, jobs: int, lock_timeout: float, statement_timeout: float,
    attempts: int, progress: Callable[[int, int], None] = lambda done, total: None,
) -> Outcome:
    """Migrate these schemas over `jobs` connections. A schema that met a busy lock (or a
    timeout) waits until the others are done and is tried again, up to `attempts` times."""
    outcome, guard = Outcome(), threading.Lock()
    work: queue.Queue = queue.Queue()
    for name in names:
        work.put((name, 1))
    retries: list[tuple[str, int]] = []
    done = [0]

    def worker() -> None:
        try:
            while True:
                try:
                    name, attempt = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    steps = _schema_migrate(name, plan, lock_timeout=lock_timeout, statement_timeout=statement_timeout, template_fp=template_fp)
                except Exception as error:  # listed per schema; the others go on
                    connection.close_if_unusable_or_obsolete()
                    with guard:
                        if _retryable(error) and attempt < attempts:
                            retries.append((name, attempt + 1))
                            continue
                        outcome.failures[name] = _first_line(error)
                        done[0] += 1
                else:
                    with guard:
                        outcome.migrated.append(name)
                        done[0] += 1
                        for step in steps:
                            path, count = outcome.steps.get(step.key, (step.path, 0))
                            outcome.steps[step.key] = (path, count + 1)
                progress(done[0], len(names))
        finally:
            connection.close()

    while not work.empty():
        threads = [threading.Thread(target=worker, name=f"migrate-{i}") for i in range(max(1, min(jobs, work.qsize())))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if retries:
            time.sleep(min(lock_timeout, 5.0))  # give the busy tables a moment
            for item in retries:
                work.put(item)
            retries.clear()
    return outcome


@dataclass
class RunResult:
    run: MigrationRun
    overview: Overview
    outcome: Outcome
    captures: list[MigrationCapture]


def tenants_migrate(
    *, jobs: int | None = None, lock_timeout: float | None = None, statement_timeout: float | None = None,
    attempts: int | None = None, report: Callable[[str], None] = lambda line: None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> RunResult:
    """The template, then every tenant and spare schema not at its state; recorded as a run."""
    jobs = jobs or settings.TENANT_MIGRATE_JOBS
    started = timezone.now()
    captures = template_migrate(report=report)
    overview = schema_states()
    pending, missing = overview.pending, overview.missing
    report(
        f"Schemas: {len(overview.schemas)} ({_kinds(overview.schemas)}), their state read in {overview.queries} queries;"
        f" {len(pending)} to migrate."
    )
    outcome = Outcome()
    if pending:
        with connection.cursor() as cursor:
            template_applied = _applied(cursor, template_schema_name())
        outcome = schemas_migrate(
            [s.name for s in pending], _Plan(template_applied), template_fp=overview.target, jobs=jobs,
            lock_timeout=settings.TENANT_MIGRATE_LOCK_TIMEOUT if lock_timeout is None else lock_timeout,
            statement_timeout=settings.TENANT_MIGRATE_STATEMENT_TIMEOUT if statement_timeout is None else statement_timeout,
            attempts=attempts or settings.TENANT_MIGRATE_ATTEMPTS, progress=progress,
        )
        for (app, name), (path, count) in outcome.steps.items():
            report(f"  {app}.{name}: {path} on {count} schema{'s' if count != 1 else ''}")
    outcome.failures.update({s.name: "the schema or its django_migrations table is missing" for s in missing})
    _records_refresh(overview)
    run = MigrationRun.objects.create(
        started_at=started, finished_at=timezone.now(), jobs=jobs,
        outcome=MigrationRun.Outcome.FAILED if outcome.failures else MigrationRun.Outcome.SUCCEEDED,
        schemas_total=len(overview.schemas), schemas_current=len(overview.schemas) - len(pending) - len(missing),
        schemas_migrated=len(outcome.migrated),
        failures=[{"schema": name, "error": error} for name, error in sorted(outcome.failures.items())],
        paths=[
            *({"migration": f"{c.app_label}.{c.name}", "path": c.path, "reason": c.reason, "schemas": 1, "on": "template"} for c in captures),
            *({"migration": f"{app}.{name}", "path": path, "schemas": count, "on": "schemas"} for (app, name), (path, count) in outcome.steps.items()),
        ],
    )
    return RunResult(run=run, overview=overview, outcome=outcome, captures=captures)


def _kinds(schemas: list[SchemaState]) -> str:
    tenants = sum(1 for s in schemas if s.kind == "tenant")
    return f"{tenants} tenants, {len(schemas) - tenants} spares"


def _records_refresh(overview: Overview) -> None:
    """Schemas already at the template's state whose record says otherwise (migrated by other
    means): record what they are, and mark such spares as copies of the current template."""
    stale = [s.name for s in overview.schemas if s.live == overview.target and s.recorded != overview.target]
    if stale and overview.target:
        now = timezone.now()
        SchemaMigrationState.objects.bulk_create(
            [SchemaMigrationState(schema_name=name, fingerprint=overview.target, migrated_at=now) for name in stale],
            update_conflicts=True, unique_fields=["schema_name"], update_fields=["fingerprint", "migrated_at"],
        )
    fingerprint = migrations_fingerprint()
    spares = [s.name for s in overview.schemas if s.kind == "spare" and s.live == overview.target and s.spare_fingerprint != fingerprint]
    if spares:
        SpareSchema.objects.filter(name__in=spares).update(fingerprint=fingerprint)
