"""The SQL of migrations that run in every schema (lib/postgresql/migration_sql.py)."""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from lib.postgresql.migration_sql import toast_tables_drop


def _has_toast(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltoastrelid <> 0 FROM pg_class WHERE oid = to_regclass(%s)", [table])
        return cursor.fetchone()[0]


def test_a_table_of_bounded_columns_loses_its_toast_table_and_keeps_its_rows(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bounded (id integer PRIMARY KEY, a varchar(255), b varchar(900) NOT NULL)")
        cursor.execute("INSERT INTO bounded VALUES (1, 'شهرداری', %s), (2, NULL, '')", ["ی" * 900])
        assert _has_toast("bounded")
        cursor.execute(toast_tables_drop(["bounded", "no_such_table"]))
        assert not _has_toast("bounded")
        cursor.execute("SELECT id, a, b FROM bounded ORDER BY id")
        assert cursor.fetchall() == [(1, "شهرداری", "ی" * 900), (2, None, "")]
        cursor.execute("SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'bounded'::regclass AND attlen = -1")
        assert sorted(cursor.fetchall()) == [("a", "p"), ("b", "p")]


def test_a_table_with_an_unbounded_column_is_refused(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE unbounded (id integer PRIMARY KEY, a varchar(10), body text)")
        with pytest.raises(ProgrammingError, match="unbounded column"), transaction.atomic():
            cursor.execute(toast_tables_drop(["unbounded"]))
        assert _has_toast("unbounded")
