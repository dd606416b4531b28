"""A bound on what a `text` or `jsonb` column may take in its row, for the tables that keep no
TOAST table (README, "Relations per tenant").

PostgreSQL gives a table a TOAST table and its index (2 relations in every tenant schema) as
soon as one column could outgrow a page. A column whose values the product keeps small (a TOTP
secret, a survey's sixteen scores, a role's snapshot) can be stored PLAIN instead, once the
database itself refuses a value that would not fit: `CHECK (pg_column_size(col) <= n)`.
`toast_tables_drop` (migration_sql.py) counts such a column as bounded."""

from __future__ import annotations

from django.db import models
from django.db.models.lookups import LessThanOrEqual


class StoredSize(models.Func):
    """`pg_column_size`: the bytes a value takes in its row (as it is stored: PLAIN, uncompressed)."""

    function = "pg_column_size"
    output_field = models.IntegerField()


def stored_at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The model constraint that bounds `field` to `limit` bytes (NULL passes)."""
    return models.CheckConstraint(condition=LessThanOrEqual(StoredSize(models.F(field)), limit), name=name)


def stored_at_most_sql(table: str, column: str, limit: int, *, name: str) -> tuple[str, str]:
    """The same constraint for a table of another app's (allauth's), as (forward, reverse) SQL
    for this schema."""
    return (
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK (pg_column_size("{column}") <= {int(limit)})',
        f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"',
    )
