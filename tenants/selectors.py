"""Reads of tenants: the host map, the public directory, the vendor console's list."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Q, QuerySet

from lib.persian import normalize_text
from tenants.models import Domain, SpareSchema, Tenant
from tenants.provisioning import migrations_fingerprint

HOST_CACHE_TTL_SECONDS = 60
_MISSING = "-"


def _host_key(hostname: str) -> str:
    return f"tenant-host:{hostname}"


def tenant_for_host(hostname: str) -> Tenant | None:
    """The tenant answering on `hostname`, cached; None for a host no tenant owns.

    django-tenants' stock middleware queries this on every request (its issue #435); the
    cache entry is dropped whenever the tenant or one of its domains is saved.
    """
    cache = caches["platform"]
    cached = cache.get(_host_key(hostname))
    if cached == _MISSING:
        return None
    if cached is not None:
        return cached
    domain = (
        Domain.objects.select_related("tenant", "tenant__province")
        .filter(domain=hostname)
        .filter(Q(is_custom=False) | Q(is_verified=True))
        .first()
    )
    tenant = domain.tenant if domain else None
    if tenant is not None and tenant.status == Tenant.Status.PROVISIONING:
        tenant = None
    cache.set(_host_key(hostname), tenant if tenant else _MISSING, HOST_CACHE_TTL_SECONDS)
    return tenant


def spare_schemas_ready() -> int:
    """Ready copies of the current template (tenants/spares.py), for the vendor's onboarding page."""
    return SpareSchema.objects.filter(fingerprint=migrations_fingerprint()).count()


def forget_hosts(hostnames) -> None:
    caches["platform"].delete_many([_host_key(h) for h in hostnames])


def tenant_directory(*, query: str = "", province_code: str = "") -> QuerySet[Tenant]:
    """Tenants a citizen can visit, for the public landing page."""
    tenants = Tenant.objects.filter(status__in=Tenant.SERVING_STATUSES).select_related("province")
    return _filter(tenants, query=query, province_code=province_code)


def tenant_console_list(*, query: str = "", province_code: str = "", status: str = "") -> QuerySet[Tenant]:
    tenants = Tenant.objects.exclude(schema_name="public").select_related("province")
    if status:
        tenants = tenants.filter(status=status)
    return _filter(tenants, query=query, province_code=province_code).prefetch_related("domains")


def _filter(tenants: QuerySet[Tenant], *, query: str, province_code: str) -> QuerySet[Tenant]:
    query = normalize_text(query)
    if query:
        tenants = tenants.filter(
            Q(name__icontains=query) | Q(slug__icontains=query) | Q(county__icontains=query)
        )
    if province_code:
        tenants = tenants.filter(province__code=province_code)
    return tenants.order_by("name")
