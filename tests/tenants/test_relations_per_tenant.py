"""What every tenant schema carries (README, "Relations per tenant"): no sequence of its own,
no index that repeats the lead of a unique one, no `_like` index that no query uses, no TOAST
table for a table whose columns are all bounded, no table of Django's groups and permissions."""

from __future__ import annotations

import re

from django.db import connection

from bench.relations import relation_counts, relations_per_tenant
from lib.postgresql.migration_sql import SIZE_CHECKED

ALPHA = "t_alpha"
# 297 before, 210 after, with the 47 tables of 1 December's first measure; 226 once open311's
# and branding's tables came (50 tables); 229 for 51 tables once a payment's authority and
# wizard-token indexes and a session's expiry index went (4.49 a table); 201 for 45 tables once
# Django's groups, permissions and content types left tenant schemas (accounts.0008) and the
# tables whose columns are all bounded lost their TOAST tables (4.47 a table); 180 for 45 tables
# once five more tables' columns were bounded (a size CHECK on a few jsonb and text columns),
# three tables were keyed by their unique column and six indexes went (4.0 a table).
MOST_RELATIONS_PER_TABLE = 4.0


def _indexes(schema: str) -> list[tuple[str, str, bool, list[str]]]:
    """(table, index, unique, columns) of every index of `schema`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.relname, i.relname, x.indisunique,
                      array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
               WHERE n.nspname = %s AND x.indpred IS NULL ORDER BY 1, 2""",
            [schema],
        )
        return cursor.fetchall()


def test_a_tenant_schema_carries_no_sequence_and_few_relations_a_table(tenant_a):
    counts = relation_counts(connection, ALPHA)
    assert counts["sequences"] == 0  # ids come from public.mizban_row_id / mizban_int_row_id
    # Per table, not a fixed total: other apps add tables (6.3 a table before, 4.49 now).
    assert relations_per_tenant(connection, ALPHA) <= MOST_RELATIONS_PER_TABLE * counts["tables"], counts
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_default FROM information_schema.columns
               WHERE table_schema = %s AND column_name = 'id' ORDER BY 1""",
            [ALPHA],
        )
        defaults = dict(cursor.fetchall())
    assert defaults and all(re.fullmatch(r"nextval\('(public\.)?mizban_(int_)?row_id'::regclass\)", d) for d in defaults.values()), defaults


def test_no_index_repeats_the_lead_of_a_unique_one_and_no_like_index_but_the_id_prefix_search(tenant_a):
    indexes = _indexes(ALPHA)
    like = sorted(name for _table, name, _unique, _columns in indexes if name.endswith("_like"))
    # The portal and the staff editor search a catalogue by the start of a national service ID.
    assert like == ["catalog_service_national_id_6928d4c8_like"]
    leads = {(table, tuple(columns[:1])) for table, _name, unique, columns in indexes if unique and len(columns) > 1}
    repeated = [name for table, name, unique, columns in indexes if not unique and (table, tuple(columns)) in leads]
    assert repeated == []


def test_no_toast_table_where_every_column_is_bounded_nor_groups_and_permissions(tenant_a):
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relkind = 'r' AND c.reltoastrelid <> 0 AND NOT EXISTS (
                   SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attlen = -1 AND a.atttypmod < 0 AND NOT EXISTS (""" + SIZE_CHECKED.format(table="c.oid", column="a.attnum") + """))
               ORDER BY 1""",
            [ALPHA],
        )
        # Such a table's columns are stored PLAIN and it is rewritten (toast_tables_drop in
        # lib/postgresql/migration_sql.py, in a migration of its app): its rows always fit a page.
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND (tablename LIKE 'auth\\_%%' OR tablename IN"
            " ('django_content_type', 'accounts_user_groups', 'accounts_user_user_permissions'))",
            [ALPHA],
        )
        assert cursor.fetchall() == []
