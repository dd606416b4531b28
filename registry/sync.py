"""Applying one full export to the mirror, inside the caller's transaction.

Built for 100,000 rows: the mirror's (ID, content hash) pairs are read once, the export is
streamed, a row whose hash matches is left alone, and new or changed rows are written in
batches with COPY (changed ones through a temporary table and one UPDATE … FROM per batch).
Nothing is queried per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from registry.models import InvalidRow, NationalService, ServiceChange, SyncRun
from registry.rows import DUPLICATE_ID, PARENT_NOT_FOUND, RowError, ServiceRow, row_parse
from registry.sources import SourceError

BATCH = 2000
PROGRESS_EVERY = 1000
# One sync at a time across every process: a transaction-level advisory lock on this key.
LOCK_KEY = 0x72656769  # "regi"
_TABLE = NationalService._meta.db_table
_STAGE = "registry_sync_stage"
_COLUMNS = [
    "service_id", "has_short_id", "parent_id", "title", "agency_code", "agency_name", "service_types", "status",
    "registry_updated_at", "content_hash", "first_seen_at", "last_seen_at", "changed_at", "missing_since",
]
# Everything but the key and first_seen_at.
_UPDATED_COLUMNS = [c for c in _COLUMNS if c not in ("service_id", "first_seen_at")]


def sync_lock_try() -> bool:
    """Take the sync lock for the current transaction; False when another sync holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


@dataclass
class Counts:
    rows_read: int = 0
    added: int = 0
    changed: int = 0
    retired: int = 0
    missing: int = 0
    unchanged: int = 0
    invalid: int = 0


@dataclass
class _Pass:
    run: SyncRun
    now: datetime
    known: dict[str, tuple[str, bool]]  # service ID -> (content hash, missing?)
    counts: Counts = field(default_factory=Counts)
    ids: set[str] = field(default_factory=set)  # every ID met in the export, valid or not
    valid: set[str] = field(default_factory=set)
    invalid_ids: set[str] = field(default_factory=set)
    pending: list[ServiceRow] = field(default_factory=list)  # parent not met yet
    creates: list[ServiceRow] = field(default_factory=list)
    updates: list[ServiceRow] = field(default_factory=list)
    invalid_rows: list[InvalidRow] = field(default_factory=list)


def sync_apply(*, run: SyncRun, rows: Iterable[tuple[int, dict]], now: datetime,
               progress: Callable[[int], None] | None = None) -> Counts:
    """Write what differs between the export and the mirror; raise SourceError to undo all."""
    state = _Pass(run=run, now=now, known={
        sid: (digest, missing is not None)
        for sid, digest, missing in NationalService.objects.values_list("service_id", "content_hash", "missing_since")
    })
    for line, raw in rows:
        state.counts.rows_read += 1
        _feed(state, line, raw)
        if progress and state.counts.rows_read % PROGRESS_EVERY == 0:
            progress(state.counts.rows_read)
    _resolve_pending(state)
    if not state.valid:
        raise SourceError(_("خروجی هیچ ردیف معتبری ندارد؛ هیچ تغییری اعمال نشد."))
    _flush_creates(state)
    _flush_updates(state)
    _mark_missing_and_seen(state)
    InvalidRow.objects.bulk_create(state.invalid_rows, batch_size=BATCH)
    if progress:
        progress(state.counts.rows_read)
    return state.counts


def _feed(state: _Pass, line: int, raw: dict) -> None:
    try:
        row = row_parse(raw, line=line)
    except RowError as error:
        sid = str(raw.get("service_id") or "")[:100]
        _reject(state, line=line, service_id=sid, reason=error.reason, detail=error.detail)
        return
    if row.service_id in state.ids:
        _reject(state, line=line, service_id=row.service_id, reason=DUPLICATE_ID, duplicate=True)
        return
    state.ids.add(row.service_id)
    if row.parent_id and row.parent_id not in state.valid and row.parent_id not in state.known:
        state.pending.append(row)  # its parent may still come later in the export
        return
    _accept(state, row)


def _reject(state: _Pass, *, line: int, service_id: str, reason: str, detail: str = "", duplicate: bool = False) -> None:
    state.counts.invalid += 1
    if service_id and not duplicate:
        state.ids.add(service_id)
        state.invalid_ids.add(service_id)
    state.invalid_rows.append(InvalidRow(run=state.run, line=line, service_id=service_id, reason=reason, detail=detail))


def _resolve_pending(state: _Pass) -> None:
    progressed = True
    while state.pending and progressed:
        waiting, state.pending, progressed = state.pending, [], False
        for row in waiting:
            if row.parent_id in state.valid or row.parent_id in state.known:
                _accept(state, row)
                progressed = True
            else:
                state.pending.append(row)
    for row in state.pending:
        state.counts.invalid += 1
        state.invalid_ids.add(row.service_id)
        state.invalid_rows.append(InvalidRow(
            run=state.run, line=row.line, service_id=row.service_id, reason=PARENT_NOT_FOUND, detail=row.parent_id or "",
        ))


def _accept(state: _Pass, row: ServiceRow) -> None:
    state.valid.add(row.service_id)
    known = state.known.get(row.service_id)
    if known is None:
        state.counts.added += 1
        state.creates.append(row)
        if len(state.creates) >= BATCH:
            _flush_creates(state)
    elif known[0] != row.content_hash or known[1]:
        state.updates.append(row)
        if len(state.updates) >= BATCH:
            _flush_updates(state)
    else:
        state.counts.unchanged += 1


def _values(row: ServiceRow, *, now: datetime) -> tuple:
    """A row in the order of _COLUMNS."""
    return (
        row.service_id, len(row.service_id) == 10, row.parent_id, row.title, row.agency_code, row.agency_name,
        row.service_types, row.status, row.updated_at, row.content_hash, now, now, now, None,
    )


def _copy(table: str, rows: Iterable[tuple]) -> None:
    """COPY rather than INSERT: at 100,000 rows, building and parsing multi-row INSERTs costs
    more than the writing itself."""
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _flush_creates(state: _Pass) -> None:
    if state.creates:
        _copy(_TABLE, (_values(row, now=state.now) for row in state.creates))
    state.creates = []


def _flush_updates(state: _Pass) -> None:
    """Changed rows go through a temporary table and one UPDATE … FROM per batch."""
    if not state.updates:
        return
    before = {
        sid: (title, status)
        for sid, title, status in NationalService.objects.filter(pk__in=[r.service_id for r in state.updates])
        .values_list("service_id", "title", "status")
    }
    changes = []
    for row in state.updates:
        old_title, old_status = before[row.service_id]
        kind = _change_kind(row, old_title=old_title, old_status=old_status)
        if kind == ServiceChange.Kind.RETIRED:
            state.counts.retired += 1
        else:
            state.counts.changed += 1
        changes.append(ServiceChange(
            run=state.run, service_id=row.service_id, kind=kind, old_title=old_title, new_title=row.title,
        ))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (LIKE {_TABLE} INCLUDING DEFAULTS) ON COMMIT DROP; "
            f"TRUNCATE {_STAGE}"
        )
    _copy(_STAGE, (_values(row, now=state.now) for row in state.updates))
    assignments = ", ".join(f"{column} = s.{column}" for column in _UPDATED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} n SET {assignments} FROM {_STAGE} s WHERE n.service_id = s.service_id")
    ServiceChange.objects.bulk_create(changes, batch_size=BATCH)
    state.updates = []


def _change_kind(row: ServiceRow, *, old_title: str, old_status: str) -> str:
    retired = NationalService.Status.RETIRED
    if row.status == retired and old_status != retired:
        return ServiceChange.Kind.RETIRED
    if row.status != retired and old_status == retired:
        return ServiceChange.Kind.REAPPROVED
    if row.title != old_title:
        return ServiceChange.Kind.TITLE_CHANGED
    return ServiceChange.Kind.OTHER


def _mark_missing_and_seen(state: _Pass) -> None:
    """Services absent from this full export are kept and marked missing (since the first
    export that lacked them); every service present and valid was seen now."""
    absent = [sid for sid in state.known if sid not in state.ids]
    state.counts.missing = len(absent)
    newly_missing = [sid for sid in absent if not state.known[sid][1]]
    for start in range(0, len(newly_missing), BATCH):
        NationalService.objects.filter(pk__in=newly_missing[start:start + BATCH]).update(missing_since=state.now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET last_seen_at = %s "
            "WHERE missing_since IS NULL AND last_seen_at < %s AND NOT (service_id = ANY(%s))",
            [state.now, state.now, sorted(state.invalid_ids)],
        )
