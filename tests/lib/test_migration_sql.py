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


def test_a_jsonb_column_under_a_size_check_counts_as_bounded_and_the_check_refuses_more(db):
    from django.db.utils import IntegrityError

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE checked (id integer PRIMARY KEY, kind varchar(20), data jsonb,"
                       " CONSTRAINT checked_data_fits_page CHECK (pg_column_size(data) <= 2000))")
        cursor.execute("INSERT INTO checked VALUES (1, 'totp', %s)", ['{"secret": "شهرداری"}'])
        assert _has_toast("checked")
        cursor.execute(toast_tables_drop(["checked"]))
        assert not _has_toast("checked")
        with pytest.raises(IntegrityError, match="checked_data_fits_page"), transaction.atomic():
            cursor.execute("INSERT INTO checked VALUES (2, 'totp', %s)", ['{"secret": "%s"}' % ("ی" * 1500)])
        cursor.execute("SELECT id, data ->> 'secret' FROM checked ORDER BY id")
        assert cursor.fetchall() == [(1, "شهرداری")]


def test_a_check_of_another_shape_does_not_bound_a_column(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE loosely (id integer PRIMARY KEY, kind varchar(20), body text CHECK (body <> ''))")
        with pytest.raises(ProgrammingError, match="unbounded column"), transaction.atomic():
            cursor.execute(toast_tables_drop(["loosely"]))
        assert _has_toast("loosely")


def test_a_unique_column_becomes_the_key_and_back(db):
    from lib.postgresql.migration_sql import key_column_replace, key_column_restore

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE keyed (id bigint PRIMARY KEY DEFAULT nextval('public.mizban_row_id'), day date NOT NULL,"
                       " CONSTRAINT keyed_day_key UNIQUE (day))")
        cursor.execute("INSERT INTO keyed (day) VALUES ('2026-12-01'), ('2026-12-02')")
        for statement in key_column_replace("keyed", "day"):
            cursor.execute(statement)
        cursor.execute("SELECT array_agg(indexrelid::regclass::text ORDER BY 1) FROM pg_index WHERE indrelid = 'keyed'::regclass")
        assert cursor.fetchone()[0] == ["keyed_pkey"]
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'keyed_pkey'")
        assert cursor.fetchone()[0] == "PRIMARY KEY (day)"
        for statement in key_column_restore("keyed", "day"):
            cursor.execute(statement)
        cursor.execute("SELECT count(*), count(DISTINCT id) FROM keyed")
        assert cursor.fetchone() == (2, 2)
