"""Spare schemas: ready copies of the template, made in the background, so that onboarding
renames one instead of building one.

Copying the template is mostly the kernel's work: about 270 files to create, and an fsync for
every B-tree (PostgreSQL before 17 syncs each index it builds; a tenant schema has 141), so
one copy takes 0.2–0.4 s here. Onboarding therefore takes a spare made earlier: `ALTER SCHEMA
… RENAME` in the onboarding's transaction, which a failure rolls back like everything else,
leaving the spare spare. The worker tops the spares up after each onboarding (several copies
at once: the disk overlaps their fsyncs) and on a schedule; with none ready and none being
made, onboarding copies the template itself as before, so nothing depends on the worker.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction

from tenants.models import SpareSchema, TemplateSchema
from tenants.provisioning import quote_name, schema_check_name, schema_create_from_template, template_ensure

logger = logging.getLogger(__name__)

SPARE_PREFIX = "spare_"
_REFILL_LOCK = 0x6D7A7370  # "mzsp": one refill at a time across processes


def spare_claim(*, schema_name: str, template: TemplateSchema, wait_seconds: float | None = None) -> bool:
    """Rename a ready spare of this template to `schema_name`, in the caller's transaction;
    False when none is ready. Two onboardings at once take two different spares.

    With none ready while the worker is making some, wait for one (up to `wait_seconds`)
    rather than copy the template alongside it: the copies wait on the same disk, and one
    more only slows them all.
    """
    wait_seconds = settings.TENANT_SPARE_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait_seconds
    schema_check_name(schema_name)
    while True:
        spare = _spare_take(template.fingerprint)
        if spare is not None:
            break
        if time.monotonic() >= deadline or not _refill_running():
            return False
        time.sleep(0.02)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {quote_name(spare)} RENAME TO {quote_name(schema_name)}")
    return True


def _spare_take(fingerprint: str) -> str | None:
    """The oldest ready spare's name, its row deleted (in the caller's transaction: a rollback
    gives it back); one statement, skipping a spare another onboarding holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {SpareSchema._meta.db_table} WHERE id = (
                   SELECT id FROM {SpareSchema._meta.db_table} WHERE fingerprint = %s
                   ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
               RETURNING name""",
            [fingerprint],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _refill_running() -> bool:
    # Read pg_locks rather than try the lock: trying it could make a starting refill skip.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND classid = 0 AND objid = %s AND objsubid = 1)""",
            [_REFILL_LOCK],
        )
        return cursor.fetchone()[0]


def spares_refill(*, target: int | None = None, parallel: int | None = None) -> int:
    """Make spares of the current template until `target` are ready (default: the setting);
    the number made. Does nothing while another refill runs. With `parallel` above 1 the
    copies are made on their own connections, each committed on its own."""
    target = settings.TENANT_SPARE_SCHEMAS if target is None else target
    parallel = settings.TENANT_SPARE_PARALLEL if parallel is None else parallel
    if target <= 0:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REFILL_LOCK])
        if not cursor.fetchone()[0]:
            return 0
    try:
        template = template_ensure()
        spares_drop_stale(fingerprint=template.fingerprint)
        made = _fill(template, target=target, parallel=parallel)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK])
    return made


def spares_drop_stale(*, fingerprint: str) -> int:
    """Drop the spares copied from another template than this one (the migrations changed)."""
    stale = list(SpareSchema.objects.exclude(fingerprint=fingerprint).filter(name__startswith=SPARE_PREFIX))
    for spare in stale:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_name(spare.name)} CASCADE")
            spare.delete()
    return len(stale)


def _fill(template: TemplateSchema, *, target: int, parallel: int) -> int:
    """Make spares until `target` are ready, `parallel` at a time. Each copier takes the next
    one as soon as its own is done (onboardings go on meanwhile and take spares); all stop
    after as many failures as there are copiers (logged; the scheduled refill tries again)."""
    guard = threading.Lock()
    state = {"in_flight": 0, "made": 0, "failed": 0}

    def take_slot() -> bool:
        with guard:
            ready = SpareSchema.objects.filter(fingerprint=template.fingerprint).count()
            if state["failed"] >= parallel or ready + state["in_flight"] >= target:
                return False
            state["in_flight"] += 1
            return True

    def copier() -> None:
        while take_slot():
            try:
                _spare_make(template)
                outcome = "made"
            except Exception:
                if parallel <= 1:
                    raise
                logger.exception("A spare schema could not be made; onboarding copies the template itself meanwhile.")
                outcome = "failed"
            with guard:
                state["in_flight"] -= 1
                state[outcome] += 1

    def copier_on_own_connection() -> None:
        try:
            copier()
        finally:
            connection.close()  # this thread's own connection

    if parallel <= 1:
        copier()  # on the caller's connection, in its transaction if it has one
    else:
        with ThreadPoolExecutor(parallel) as pool:
            for future in [pool.submit(copier_on_own_connection) for _ in range(parallel)]:
                future.result()
    return state["made"]


def _spare_make(template: TemplateSchema) -> None:
    name = SPARE_PREFIX + secrets.token_hex(8)
    with transaction.atomic():
        schema_create_from_template(schema_name=name, template=template)
        SpareSchema.objects.create(name=name, fingerprint=template.fingerprint)


def spares_refill_soon() -> None:
    """Ask the worker to top the spares up (after an onboarding commits). With the broker
    down nothing is lost: the next onboarding copies the template itself, and the
    scheduled refill catches up. With no broker at all (tasks run in the web process) there
    are no spares: onboarding copies the template itself rather than wait for eight."""
    if settings.TENANT_SPARE_SCHEMAS <= 0 or settings.TASKS_IN_PROCESS:
        return
    from tenants.tasks import spare_schemas_refill  # tasks imports this module: a cycle

    try:
        spare_schemas_refill.apply_async(retry=False, queue=settings.TENANT_SPARE_QUEUE or None)
    except Exception as error:  # kombu raises several kinds for an unreachable broker
        logger.warning("Broker unreachable (%s); the spare schemas wait for the scheduled refill.", error)
