"""SQL for migrations that run in every schema (public, the template, each tenant): each
statement names the schema the migration runs in (`current_schema()`), so nothing reaches
the public schema's object of the same name through the search_path."""

from __future__ import annotations

from lib.postgresql.base import INT_ROW_ID_SEQUENCE, ROW_ID_SEQUENCE


def indexes_drop(indexes: dict[str, str]) -> str:
    """DROP INDEX for each name of `indexes` ({name: "table (columns)"}), in this schema."""
    names = ", ".join(f"'{name}'" for name in indexes)
    return f"""DO $$
DECLARE index_name text;
BEGIN
    FOREACH index_name IN ARRAY ARRAY[{names}] LOOP
        EXECUTE format('DROP INDEX IF EXISTS %I.%I', current_schema(), index_name);
    END LOOP;
END $$"""


def indexes_create(indexes: dict[str, str]) -> str:
    """The reverse of indexes_drop: CREATE INDEX name ON table (columns), in this schema."""
    statements = []
    for name, target in indexes.items():
        table, columns = target.split(" ", 1)
        statements.append(
            f"EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I {columns}', '{name}', current_schema(), '{table}');"
        )
    return "DO $$\nBEGIN\n    " + "\n    ".join(statements) + "\nEND $$"


def identities_to_shared_sequences() -> str:
    """Every identity column of this schema takes its ids from the shared sequences instead
    (lib/postgresql/base.py), its own sequence dropped; each shared sequence is moved past the
    largest id already there, under a lock, since schemas may migrate in parallel."""
    return f"""DO $$
DECLARE
    col record;
    sequence_name text;
    largest bigint;
    current bigint;
BEGIN
    CREATE SEQUENCE IF NOT EXISTS {ROW_ID_SEQUENCE} AS bigint;
    CREATE SEQUENCE IF NOT EXISTS {INT_ROW_ID_SEQUENCE} AS integer;
    PERFORM pg_advisory_xact_lock(hashtext('mizban_row_id'));
    FOR col IN
        SELECT c.relname AS table_name, a.attname AS column_name, a.atttypid::regtype::text AS type_name
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND a.attidentity <> '' AND NOT a.attisdropped
              AND a.atttypid IN ('integer'::regtype, 'bigint'::regtype)
        ORDER BY 1
    LOOP
        sequence_name := CASE WHEN col.type_name = 'bigint' THEN '{ROW_ID_SEQUENCE}' ELSE '{INT_ROW_ID_SEQUENCE}' END;
        EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I DROP IDENTITY', current_schema(), col.table_name, col.column_name);
        EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT nextval(%L::regclass)',
                       current_schema(), col.table_name, col.column_name, sequence_name);
        EXECUTE format('SELECT max(%I) FROM %I.%I', col.column_name, current_schema(), col.table_name) INTO largest;
        EXECUTE format('SELECT last_value FROM %s', sequence_name) INTO current;
        IF largest IS NOT NULL AND largest > current THEN
            PERFORM setval(sequence_name::regclass, largest);
        END IF;
    END LOOP;
END $$"""


def tables_drop(tables: list[str], *, public: bool = False) -> str:
    """DROP TABLE of those of `tables` this schema has (one statement, so their foreign keys
    to each other do not matter), in this schema only; in the public schema too when `public`,
    else there nothing (it keeps them). Never CASCADE: a key from another table to one of them
    stops the migration instead of being dropped with it."""
    names = ", ".join(f"'{name}'" for name in tables)
    return f"""DO $$
DECLARE present text;
BEGIN
    IF current_schema() = 'public' AND NOT {'true' if public else 'false'} THEN
        RETURN;
    END IF;
    SELECT string_agg(format('%I.%I', current_schema(), c.relname), ', ') INTO present
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY (ARRAY[{names}]);
    IF present IS NOT NULL THEN
        EXECUTE 'DROP TABLE ' || present;
    END IF;
END $$"""


# A CHECK (pg_column_size(column) <= n) on {table}'s {column} (lib/postgresql/stored_size.py).
SIZE_CHECKED = (
    "SELECT 1 FROM pg_constraint k WHERE k.conrelid = {table} AND k.contype = 'c' AND k.conkey = ARRAY[{column}]::int2[]"
    " AND pg_get_constraintdef(k.oid) ~ '^CHECK \\(\\(pg_column_size\\([^)]*\\) <= [0-9]+\\)\\)$'"
)


def toast_tables_drop(tables: list[str]) -> str:
    """Each of `tables` (those of them in this schema) without its TOAST table and TOAST index:
    every varying-length column stored PLAIN, then the table rewritten (an ALTER COLUMN … TYPE
    with a USING that is not a plain copy: PostgreSQL 15's SET ACCESS METHOD to the same one does
    not rewrite, VACUUM FULL cannot run in a migration's transaction). PostgreSQL keeps no TOAST
    table for a table none of whose columns it may move out of line (toasting.c,
    needs_toast_table). Only for tables whose columns are all bounded, so that a row always fits
    a page (a varchar(n) is at most 4n + 4 bytes; a text or jsonb column under a size CHECK, see
    stored_size.py, at most its n): one with a column bounded by neither stops the migration. Nothing on a Citus database: Citus refuses SET STORAGE on a distributed
    table (a tenant's, on a cluster), so there every schema keeps them, the template too, and
    the template's copies stay equal to it."""
    names = ", ".join(f"'{name}'" for name in tables)
    return f"""DO $$
DECLARE
    table_name text;
    relation regclass;
    unbounded text;
    changes text;
    rewrite text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    FOREACH table_name IN ARRAY ARRAY[{names}] LOOP
        relation := to_regclass(format('%I.%I', current_schema(), table_name));
        CONTINUE WHEN relation IS NULL;
        SELECT string_agg(a.attname, ', ') INTO unbounded
        FROM pg_attribute a WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1
              AND a.atttypmod < 0 AND NOT EXISTS ({SIZE_CHECKED.format(table="relation", column="a.attnum")});
        IF unbounded IS NOT NULL THEN
            RAISE EXCEPTION 'table %: unbounded column(s) %, a row could outgrow a page', table_name, unbounded;
        END IF;
        SELECT string_agg(format('ALTER COLUMN %I SET STORAGE PLAIN', a.attname), ', ' ORDER BY a.attnum)
        INTO changes
        FROM pg_attribute a WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1;
        -- The rewrite through a column no index covers (an indexed one would have its indexes rebuilt).
        SELECT format('ALTER COLUMN %I TYPE %s USING %I || %L', a.attname, format_type(a.atttypid, a.atttypmod), a.attname, '')
        INTO rewrite
        FROM pg_attribute a WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped
              AND a.atttypid = 'character varying'::regtype
        ORDER BY EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = relation AND a.attnum = ANY (i.indkey)), a.attnum
        LIMIT 1;
        EXECUTE format('ALTER TABLE %I.%I ', current_schema(), table_name) || changes || ', ' || rewrite;
    END LOOP;
END $$"""


def key_column_replace(table: str, column: str) -> list[str]:
    """The table's id column gone and its unique `column` its primary key instead: one column
    and one index fewer (Django's AlterField to primary_key=True keeps the unique constraint
    beside the new key). Django names the constraints `<table>_pkey` and `<table>_<column>_key`."""
    return [
        f'ALTER TABLE "{table}" DROP COLUMN id',
        f'ALTER TABLE "{table}" DROP CONSTRAINT "{table}_{column}_key"',
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_pkey" PRIMARY KEY ("{column}")',
    ]


def key_column_restore(table: str, column: str) -> list[str]:
    """The reverse of key_column_replace: a bigint id from the shared sequence, `column` unique."""
    return [
        f'ALTER TABLE "{table}" DROP CONSTRAINT "{table}_pkey"',
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_{column}_key" UNIQUE ("{column}")',
        f'ALTER TABLE "{table}" ADD COLUMN id bigint NOT NULL DEFAULT nextval(\'{ROW_ID_SEQUENCE}\') PRIMARY KEY',
    ]
