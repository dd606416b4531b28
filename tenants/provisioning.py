"""New tenant schemas, copied from a template instead of migrated one by one.

Running every migration for each new tenant takes over a second, and django-tenants' own
clone (copy, then a fake migrate) is no faster. So the template schema is migrated once;
its DDL (tables, constraints, indexes, read from the catalogue with their exact names) and
the rows its migrations seed (the migration records) are stored in
`TemplateSchema`, keyed by a fingerprint of the tenant apps' migration files. A new tenant
is then one CREATE SCHEMA, one DDL script and one INSERT … SELECT per seeded table, inside
the caller's transaction. When the migrations change, the fingerprint changes and the
template is rebuilt before the next provisioning.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from functools import lru_cache

from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver

from tenants.models import TemplateSchema

SCHEMA_PLACEHOLDER = '"__schema__"'
TEMPLATE_LOCK = 0x6D697A62  # "mizb": one template build at a time across processes
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def schema_name_for_slug(slug: str) -> str:
    return "t_" + slug.replace("-", "_")


def _tenant_app_labels() -> set[str]:
    from django.apps import apps

    labels = set()
    for app in settings.TENANT_APPS:
        for config in apps.get_app_configs():
            if config.name == app:
                labels.add(config.label)
    return labels


@lru_cache(maxsize=1)
def migrations_fingerprint() -> str:
    """A hash of every tenant app's migration files: it changes when a migration does."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = _tenant_app_labels()
    digest = hashlib.sha256()
    for key in sorted(k for k in loader.disk_migrations if k[0] in labels):
        migration = loader.disk_migrations[key]
        digest.update(f"{key[0]}.{key[1]}\n".encode())
        digest.update(inspect.getsource(inspect.getmodule(migration)).encode())
    return digest.hexdigest()


@receiver(setting_changed)
def _migrations_changed(*, setting, **kwargs):
    # A settings override of MIGRATION_MODULES (a temporary migration) is another set of migrations.
    if setting == "MIGRATION_MODULES":
        migrations_fingerprint.cache_clear()


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def template_ensure(*, force: bool = False) -> TemplateSchema:
    """The current template, rebuilt first when the migrations have changed (or on force)."""
    fingerprint = migrations_fingerprint()
    template = TemplateSchema.objects.filter(fingerprint=fingerprint).first()
    if template and not force and _schema_exists(template_schema_name()):
        return template
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
    try:
        template = TemplateSchema.objects.filter(fingerprint=fingerprint).first()
        if template and not force and _schema_exists(template_schema_name()):
            return template  # another process built it while we waited
        if force or not _schema_exists(template_schema_name()):
            return _template_build(fingerprint)
        # New migrations: migrate the template in place, capturing what each did, as
        # `migrate_tenants` does (which then brings every tenant to it).
        from tenants.schema_migrations import template_migrate  # it builds on this module: a cycle

        template_migrate()
        return TemplateSchema.objects.get(fingerprint=fingerprint)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])


def _template_build(fingerprint: str) -> TemplateSchema:
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        if settings.DATABASE_CITUS:
            # The template stays a plain schema on the coordinator: it is only read (its DDL and
            # seeded rows), and Citus refuses some of Django's migrations on a distributed one
            # (an ADD COLUMN with an unnamed CHECK).
            cursor.execute("SET citus.enable_schema_based_sharding TO off")
        cursor.execute(f'CREATE SCHEMA "{name}"')
        if settings.DATABASE_CITUS:
            cursor.execute("RESET citus.enable_schema_based_sharding")
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    template = template_record(fingerprint=fingerprint)
    from tenants.spares import spares_drop_stale  # spares imports this module (copies of a template): a cycle

    spares_drop_stale(fingerprint=fingerprint)
    return template


def template_record(*, fingerprint: str | None = None) -> TemplateSchema:
    """Store the template schema as it is now (after `migrate_tenants` migrated it in place)
    as the template of the current migrations; older records go."""
    fingerprint = fingerprint or migrations_fingerprint()
    connection.set_schema_to_public()
    with transaction.atomic():
        ddl, seed_sql, table_count = _read_template(template_schema_name())
        TemplateSchema.objects.exclude(fingerprint=fingerprint).delete()
        template, _ = TemplateSchema.objects.update_or_create(
            fingerprint=fingerprint, defaults={"ddl": ddl, "seed_sql": seed_sql, "table_count": table_count}
        )
    return template


def _read_template(name: str) -> tuple[str, str, int]:
    """The template's DDL and seeding SQL, with the schema replaced by a placeholder.

    Keys and checks go inside each CREATE TABLE and a table's foreign keys into one ALTER
    TABLE: every separate ALTER costs PostgreSQL a lock and a cache invalidation.
    """
    with connection.cursor() as cursor:
        # With only pg_catalog on the path, every name the catalogue prints is qualified.
        cursor.execute("SET LOCAL search_path TO pg_catalog")
        tables = _tables(cursor, name)
        inline, foreign = _constraints(cursor, name)
        statements = [_create_table(cursor, name, oid, table, inline.get(table, [])) for oid, table in tables]
        if settings.DATABASE_CITUS:  # Citus takes one constraint per ALTER TABLE on a distributed table
            statements += [
                f"ALTER TABLE {SCHEMA_PLACEHOLDER}.{quote_name(table)} ADD {constraint}"
                for table, constraints in sorted(foreign.items()) for constraint in constraints
            ]
        else:
            statements += [
                f"ALTER TABLE {SCHEMA_PLACEHOLDER}.{quote_name(table)} " + ", ".join(f"ADD {c}" for c in constraints)
                for table, constraints in sorted(foreign.items())
            ]
        statements += _indexes(cursor, name)
        seed = _seed_statements(cursor, name, tables)
        cursor.execute("SET LOCAL search_path TO public")
    qualified = re.compile(rf'(?<![\w"]){re.escape(name)}\.')
    ddl = ";\n".join(qualified.sub(SCHEMA_PLACEHOLDER + ".", s) for s in statements) + ";"
    return ddl, ";\n".join(seed) + (";" if seed else ""), len(tables)


def quote_name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables(cursor, schema: str) -> list[tuple[int, str]]:
    cursor.execute(
        """SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname""",
        [schema],
    )
    return cursor.fetchall()


def _create_table(cursor, template: str, oid: int, table: str, constraints: list[str]) -> str:
    """CREATE TABLE with the template table's columns. A table whose columns are stored PLAIN
    (toast_tables_drop in lib/postgresql/migration_sql.py) is created LIKE the template's,
    INCLUDING STORAGE: PostgreSQL 15 takes no STORAGE in a column definition, and decides on
    the TOAST table when the table is made, so this is the one way to make the copy without
    one. (Making it and then rewriting it, as the migration did the template's, left some 600
    dead catalogue rows a copy, 0.1 MB, until a vacuum.) The copy then reads the template's
    table: schema_create_from_template holds the template lock against a migration meanwhile."""
    cursor.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attstorage <> t.typstorage
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           JOIN pg_type t ON t.oid = a.atttypid
           WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
        [oid],
    )
    columns, plain = [], False
    for column, type_name, not_null, default, identity, generated, own_storage in cursor.fetchall():
        plain = plain or own_storage
        parts = [quote_name(column), type_name]
        if identity == "d":
            parts.append("GENERATED BY DEFAULT AS IDENTITY")
        elif identity == "a":
            parts.append("GENERATED ALWAYS AS IDENTITY")
        elif generated == "s":
            parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
        elif default is not None:
            parts.append(f"DEFAULT {default}")
        if not_null:
            parts.append("NOT NULL")
        columns.append(" ".join(parts))
    target = f"{SCHEMA_PLACEHOLDER}.{quote_name(table)}"
    if plain:
        # Quoted, so that _read_template's placeholder does not replace the template's name.
        source = f"{quote_name(template)}.{quote_name(table)}"
        like = f"LIKE {source} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE"
        return f"CREATE TABLE {target} ({', '.join([like] + constraints)})"
    return f"CREATE TABLE {target} ({', '.join(columns + constraints)})"


def _constraints(cursor, schema: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per table: its keys and checks (inside CREATE TABLE), and its foreign keys (after
    every table exists)."""
    cursor.execute(
        """SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), con.contype
           FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
           ORDER BY c.relname, con.conname""",
        [schema],
    )
    inline: dict[str, list[str]] = {}
    foreign: dict[str, list[str]] = {}
    for table, name, definition, kind in cursor.fetchall():
        target = foreign if kind == "f" else inline
        target.setdefault(table, []).append(f"CONSTRAINT {quote_name(name)} {definition}")
    return inline, foreign


def _indexes(cursor, schema: str) -> list[str]:
    cursor.execute(
        """SELECT pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_class ic ON ic.oid = i.indexrelid
           WHERE n.nspname = %s AND NOT EXISTS (
               SELECT 1 FROM pg_constraint con
               WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
           ORDER BY ic.relname""",
        [schema],
    )
    return [row[0] for row in cursor.fetchall()]


def _seed_statements(cursor, schema: str, tables: list[tuple[int, str]]) -> list[str]:
    """Copy the rows the migrations seeded, then move each identity past the copied ids."""
    statements = []
    for _oid, table in tables:
        source = f"{quote_name(schema)}.{quote_name(table)}"
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {source})")
        if not cursor.fetchone()[0]:
            continue
        target = f"{SCHEMA_PLACEHOLDER}.{quote_name(table)}"
        statements.append(f"INSERT INTO {target} SELECT * FROM {source}")
        cursor.execute(
            """SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s AND a.attidentity <> ''""", [_oid]
        )
        for (column,) in cursor.fetchall():
            statements.append(
                f"SELECT setval(pg_get_serial_sequence('{target}', '{column}'), "
                f"(SELECT max({quote_name(column)}) FROM {target}))"
            )
    return statements


def schema_check_name(schema_name: str) -> None:
    if not _SCHEMA_NAME.match(schema_name) or schema_name in ("public", template_schema_name()):
        raise ValueError(f"Not a tenant schema name: {schema_name!r}")


class TemplateChanged(RuntimeError):
    """The template was rebuilt or migrated after the caller read it (a release's migration ran
    meanwhile): nothing was copied; read the template again (template_ensure) and retry."""


def schema_create_from_template(*, schema_name: str, template: TemplateSchema) -> None:
    """Create `schema_name` as a copy of the template, in the caller's transaction.

    The seeded rows go in before the foreign keys: each key then checks them once as it is
    added, instead of leaving a deferred check per row pending until commit. Pending checks
    forbid dropping the tables in the same transaction, and on Citus no `SET CONSTRAINTS`
    reaches the worker to run them earlier.
    """
    schema_check_name(schema_name)
    quoted = quote_name(schema_name)
    statements = [s.rstrip(";") for s in template.ddl.split(";\n") if s.strip(" ;\n")]
    tables = [s for s in statements if s.startswith("CREATE TABLE ")]
    rest = [s for s in statements if not s.startswith("CREATE TABLE ")]
    seed = [s.rstrip(";") for s in template.seed_sql.split(";\n") if s.strip(" ;\n")]
    with connection.cursor() as cursor:
        # Shared with other copies, exclusive with a template's build or migration (which hold
        # it while they change the template): the PLAIN tables are made LIKE the template's.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [TEMPLATE_LOCK])
        if not TemplateSchema.objects.filter(pk=template.pk, fingerprint=template.fingerprint).exists():
            raise TemplateChanged(template.fingerprint)
        cursor.execute(f"CREATE SCHEMA {quoted}")
        if settings.DATABASE_CITUS:
            # Citus forwards each statement to the schema's worker, which takes one at a time.
            for sql in tables + seed + rest:
                cursor.execute(sql.replace(SCHEMA_PLACEHOLDER, quoted))
            return
        for part in (tables, seed, rest):
            if part:
                cursor.execute(";\n".join(part).replace(SCHEMA_PLACEHOLDER, quoted))


def schema_signature(schema_name: str) -> dict[str, list]:
    """Tables, columns, constraints, indexes, columns' storage and TOAST tables of a schema, with the schema's own name taken
    out, so that two tenants (or a tenant and the template) compare equal when they match."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
               FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, column_name""",
            [schema_name],
        )
        columns = [list(row) for row in cursor.fetchall()]
        cursor.execute(
            """SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
               FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s ORDER BY 1, 2""",
            [schema_name],
        )
        constraints = [list(row) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
            [schema_name],
        )
        indexes = [list(row) for row in cursor.fetchall()]
        # How each column is stored where it is not its type's default, and which tables have a
        # TOAST table (none for those whose columns are all PLAIN: toast_tables_drop).
        cursor.execute(
            """SELECT c.relname, a.attname, a.attstorage::text FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_type t ON t.oid = a.atttypid
               WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                     AND a.attstorage <> t.typstorage ORDER BY 1, 2""",
            [schema_name],
        )
        storage = [list(row) for row in cursor.fetchall()]
        cursor.execute(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relkind = 'r' AND c.reltoastrelid <> 0 ORDER BY 1""",
            [schema_name],
        )
        toast = [row[0] for row in cursor.fetchall()]
    own_name = re.compile(rf'(?<![\w"])("?){re.escape(schema_name)}\1\.')

    def anonymous(rows):
        return [[own_name.sub("<schema>.", v) if isinstance(v, str) else v for v in row] for row in rows]

    indexes = [[table, name, _canonical_expression(definition)] for table, name, definition in anonymous(indexes)]
    return {"columns": anonymous(columns), "constraints": anonymous(constraints), "indexes": indexes, "storage": storage, "toast": toast}


_CASTS = re.compile(r"::(?:text|character varying|integer|bigint|smallint|boolean|regclass)(?:\[\])?")


def _canonical_expression(sql: str) -> str:
    # PostgreSQL re-parses a replayed index predicate into an equivalent tree that prints
    # with other casts and brackets (ARRAY[...]::text[] against ARRAY[x::text, ...]).
    return re.sub(r"\s+", " ", _CASTS.sub("", sql).replace("(", "").replace(")", "")).strip()
