"""What one tenant schema costs PostgreSQL: its relations and their size.

    .venv/bin/python bench/relations.py [--schema tmpl_mizban]

prints one JSON line (`schema`, `relations_per_tenant`, `tables`, `indexes`, `sequences`,
`toast`, `mb_per_schema`) for a schema of the database in DATABASE_URL (the template by
default). `bench/scale.py` imports `relations_per_tenant` and `mb_per_schema`.

A relation is whatever has a row in `pg_class` and its own files: tables, indexes,
sequences, and each table's TOAST table and TOAST index (those live in `pg_toast` but belong
to the tenant). Each costs catalogue rows, file descriptors and at least one 8 kB page.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

_RELATIONS = """
    WITH own AS (
        SELECT c.oid, c.relkind, c.reltoastrelid FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'i', 'S', 'm')
    ), toast AS (
        SELECT t.oid, 't'::"char" AS relkind FROM own JOIN pg_class t ON t.oid = own.reltoastrelid
        UNION ALL
        SELECT i.indexrelid, 'T'::"char" FROM own JOIN pg_index i ON i.indrelid = own.reltoastrelid
    )
    SELECT oid, relkind FROM own UNION ALL SELECT oid, relkind FROM toast
"""


def _rows(connection, schema: str) -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(_RELATIONS, [schema])
        return [(oid, str(kind)) for oid, kind in cursor.fetchall()]


def relation_counts(connection, schema: str) -> dict[str, int]:
    """Tables, indexes, sequences and TOAST relations (tables and their indexes) of `schema`."""
    counts = {"tables": 0, "indexes": 0, "sequences": 0, "toast": 0}
    names = {"r": "tables", "p": "tables", "m": "tables", "i": "indexes", "S": "sequences", "t": "toast", "T": "toast"}
    for _oid, kind in _rows(connection, schema):
        counts[names[kind]] += 1
    return counts


def relations_per_tenant(connection, schema: str) -> int:
    """How many relations `schema` adds to `pg_class` (TOAST included)."""
    return len(_rows(connection, schema))


def mb_per_schema(connection, schema: str) -> float:
    """The size on disk of every relation of `schema` (all forks, TOAST included), in MB."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT coalesce(sum(pg_relation_size(r.oid, 'main') + pg_relation_size(r.oid, 'fsm')
                                  + pg_relation_size(r.oid, 'vm') + pg_relation_size(r.oid, 'init')), 0)
                FROM ({_RELATIONS}) r""",
            [schema],
        )
        return round(float(cursor.fetchone()[0]) / 1024 / 1024, 3)


def indexes_of(connection, schema: str) -> list[tuple[str, str, str]]:
    """(table, index, definition) of every index of `schema`, the schema's name taken out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2", [schema]
        )
        return [(t, i, d.replace(f"{schema}.", "")) for t, i, d in cursor.fetchall()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default="", help="a tenant schema (default: the template)")
    parser.add_argument("--indexes", action="store_true", help="also list every index, one a line, on stderr")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mizban.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    schema = args.schema or settings.TENANT_TEMPLATE_SCHEMA
    figures = {"schema": schema, "relations_per_tenant": relations_per_tenant(connection, schema)}
    figures.update(relation_counts(connection, schema))
    figures["mb_per_schema"] = mb_per_schema(connection, schema)
    print(json.dumps(figures))
    if args.indexes:
        for table, name, definition in indexes_of(connection, schema):
            print(f"{table}\t{name}\t{definition}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
