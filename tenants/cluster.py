"""Tenants on a Citus cluster (`DATABASE_CITUS`): each tenant's node, moving one, rebalancing.

Every tenant schema is a distributed schema whose tables live together on one worker; the
coordinator routes a request's queries there by its `search_path`. Which worker a new tenant
gets is the cluster's own choice (Citus places each new schema on the next worker in turn,
so a spare schema has its node before any tenant takes it); the vendor moves a tenant, or
lets Citus balance all of them by disk use, from the console or `manage.py tenant_move`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from lib import citus
from tenants.models import Tenant, TenantEvent


# A tenant's cross-node writes against its move. A submit writes the tenant's schema on its
# worker and the tracking-code index on the coordinator in one transaction, which Citus commits
# in two phases: the worker's COMMIT PREPARED comes after the coordinator's own commit, when the
# coordinator's locks are gone. A move whose switch fell between the two left the request on the
# old placement (seen once in CI: a request answered, its SMS sent, and not found after the
# move). So a move holds the tenant's lock (a rebalance, every tenant's) for its whole length,
# and such a transaction takes it shared before its first write: submits wait for a move.
MOVE_LOCK_SPACE = 0x6D6F7665  # "move"; the second key: hashtext(schema), or 0 for every tenant (a rebalance)
EVERY_TENANT = 0


def cluster_on() -> bool:
    return bool(settings.DATABASE_CITUS)


def tenant_writes_guard() -> None:
    """Call first in a transaction that writes the connection's tenant schema and the public
    one (a submit): on a cluster it waits while that tenant is moved or the cluster rebalanced,
    until the transaction ends. Nothing on a single PostgreSQL."""
    if not cluster_on():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s), pg_advisory_xact_lock_shared(%s, hashtext(%s))",
                       [MOVE_LOCK_SPACE, EVERY_TENANT, MOVE_LOCK_SPACE, connection.schema_name])


class _WritesHeld:
    """The move's side of tenant_writes_guard: exclusive, on this connection's session, for as
    long as the move or rebalance runs (waiting first for the submits already under way).
    `schema`: the tenant's; None: every tenant's."""

    def __init__(self, schema: str | None):
        self.key = "hashtext(%s)" if schema else str(EVERY_TENANT)
        self.params = [MOVE_LOCK_SPACE] + ([schema] if schema else [])

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_lock(%s, {self.key})", self.params)

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_unlock(%s, {self.key})", self.params)


def tenant_nodes() -> dict[str, str]:
    """Each tenant schema's node ("host:port"), in one query; empty on a single PostgreSQL."""
    if not cluster_on():
        return {}
    with connection.cursor() as cursor:
        return citus.schema_nodes(cursor)


def cluster_workers() -> list[str]:
    if not cluster_on():
        return []
    with connection.cursor() as cursor:
        return citus.worker_nodes(cursor)


def tenant_move(*, tenant: Tenant, node: str, actor: str = "", block_writes: bool = False) -> float:
    """Move the tenant's schema to `node`; the seconds it took. The tenant keeps serving: its
    rows are copied by logical replication while it is read and written; only its submits
    (tenant_writes_guard) wait until the move is done."""
    if not cluster_on():
        raise ValidationError(_("پایگاه داده خوشه سیتوس نیست؛ جابه‌جایی مشترک ممکن نیست."), code="not_citus")
    workers = cluster_workers()
    if node not in workers:
        raise ValidationError(_("گره «%(node)s» در خوشه نیست.") % {"node": node}, code="unknown_node")
    current = tenant_nodes().get(tenant.schema_name)
    if current is None:
        raise ValidationError(_("طرح این مشترک در خوشه توزیع نشده است."), code="not_distributed")
    if current == node:
        raise ValidationError(_("این مشترک هم‌اکنون روی گره «%(node)s» است.") % {"node": node}, code="same_node")
    started = time.monotonic()
    with _WritesHeld(tenant.schema_name), connection.cursor() as cursor:
        citus.schema_move(cursor, schema=tenant.schema_name, node=node, block_writes=block_writes)
    seconds = time.monotonic() - started
    TenantEvent.objects.create(
        tenant=tenant, action=TenantEvent.Action.MOVED, actor=actor,
        note=_("از گره %(source)s به گره %(target)s در %(seconds).1f ثانیه") % {
            "source": current, "target": node, "seconds": seconds},
    )
    return seconds


def tenants_rebalance(*, block_writes: bool = False) -> int:
    """Let Citus balance every schema over the workers by disk use; the moves it planned."""
    if not cluster_on():
        raise ValidationError(_("پایگاه داده خوشه سیتوس نیست؛ توازن مشترکان ممکن نیست."), code="not_citus")
    with _WritesHeld(None), connection.cursor() as cursor:
        return citus.rebalance(cursor, block_writes=block_writes)
