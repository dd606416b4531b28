"""Django's PostgreSQL backend, but ids from two sequences shared by every table.

Django gives each table an identity column, so a sequence of its own: 42 of the 270
relations every tenant schema added to `pg_class` (README, "Relations per tenant"). Here an
`AutoField` takes `nextval('public.mizban_int_row_id')` and a `BigAutoField`
`nextval('public.mizban_row_id')`: ids stay unique within each table (they are unique across
all of them), rows still get them from the database (`INSERT … RETURNING`), and a tenant
schema has no sequence at all. Two sequences, so the small integer columns of Django's and
allauth's tables do not run out because the request tables count high.

django-tenants wraps this backend (`ORIGINAL_BACKEND` in settings). The migration
`accounts.0006_shared_row_ids_fewer_indexes` moves existing identity columns onto the same sequences.
"""

from __future__ import annotations

import select

from django.conf import settings
from django.db.backends.postgresql import base, schema
from psycopg import pq

ROW_ID_SEQUENCE = "public.mizban_row_id"
INT_ROW_ID_SEQUENCE = "public.mizban_int_row_id"
_AUTO_FIELDS = ("AutoField", "BigAutoField")


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _row_id_sequences_ensure(self) -> None:
        if not getattr(self, "_row_id_sequences_ensured", False):
            self.execute(f"CREATE SEQUENCE IF NOT EXISTS {ROW_ID_SEQUENCE} AS bigint")
            self.execute(f"CREATE SEQUENCE IF NOT EXISTS {INT_ROW_ID_SEQUENCE} AS integer")
            self._row_id_sequences_ensured = True

    def create_model(self, model):
        if any(field.get_internal_type() in _AUTO_FIELDS for field in model._meta.local_fields):
            self._row_id_sequences_ensure()
        super().create_model(model)

    def add_field(self, model, field):
        if field.get_internal_type() in _AUTO_FIELDS:
            self._row_id_sequences_ensure()
        check = field.db_parameters(connection=self.connection)["check"]
        unique = field.unique and not field.primary_key
        if not ((check or unique) and getattr(settings, "DATABASE_CITUS", False)):
            super().add_field(model, field)
            return
        # Citus refuses ADD COLUMN with an unnamed CHECK on a distributed table, and names an
        # inline UNIQUE its own way: add the column, then each constraint under the name
        # PostgreSQL gives it on a plain table, so every schema still equals the template.
        self.sql_check_constraint = ""  # the instance's, over the class's "CHECK (%(check)s)"
        self._unique_inline = False
        try:
            super().add_field(model, field)
        finally:
            del self.sql_check_constraint, self._unique_inline
        table = self.quote_name(model._meta.db_table)
        if check:
            name = self.quote_name(f"{model._meta.db_table}_{field.column}_check"[:63])
            self.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")
        if unique:
            name = self.quote_name(f"{model._meta.db_table}_{field.column}_key"[:63])
            self.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({self.quote_name(field.column)})")

    def _iter_column_sql(self, *args, **kwargs):
        for part in super()._iter_column_sql(*args, **kwargs):
            if part == "UNIQUE" and not getattr(self, "_unique_inline", True):
                continue
            yield part


class DatabaseWrapper(base.DatabaseWrapper):
    data_types_suffix = {
        "AutoField": f"DEFAULT nextval('{INT_ROW_ID_SEQUENCE}'::regclass)",
        # A smallint would run out at 32,767 ids counted across every table: keeps its identity.
        "SmallAutoField": base.DatabaseWrapper.data_types_suffix["SmallAutoField"],
        "BigAutoField": f"DEFAULT nextval('{ROW_ID_SEQUENCE}'::regclass)",
    }
    SchemaEditorClass = DatabaseSchemaEditor

    def close_if_health_check_failed(self):
        """CONN_HEALTH_CHECKS without Django's `SELECT 1` round trip before each request reuses
        a kept connection. A server that restarted or ended the session has closed its end (after
        a FATAL message), so the idle connection's socket has something to read, or libpq knows
        it is gone: the connection is closed and the request connects afresh, as after a failed
        `SELECT 1`. An idle session's server sends nothing unasked (we LISTEN to nothing), so a
        false alarm costs one reconnect at most. The round trip saved is one of a look-up's three
        to PostgreSQL (README, Benchmarks)."""
        if self.connection is None or not self.health_check_enabled or self.health_check_done or self.pool:
            return
        if not self._session_alive():
            self.close()
        self.health_check_done = True

    def _session_alive(self) -> bool:
        if self.connection.closed or self.connection.broken:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status in (pq.TransactionStatus.INERROR, pq.TransactionStatus.UNKNOWN):
            return False
        poller = select.poll()  # not select(): a descriptor above 1023 is legal here
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)

