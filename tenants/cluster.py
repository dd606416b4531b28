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


def cluster_on() -> bool:
    return bool(settings.DATABASE_CITUS)


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
    rows are copied by logical replication while writes go on, which wait only for the switch."""
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
    with connection.cursor() as cursor:
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
    with connection.cursor() as cursor:
        return citus.rebalance(cursor, block_writes=block_writes)
