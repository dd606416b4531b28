"""Reads of tenants: the host map, the live tenants, a tenant's URL, the public directory, the
vendor console's list."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Q, QuerySet
from django_tenants.utils import get_public_schema_name

from lib.hosts import host_url
from lib.persian import normalize_text
from tenants.models import Domain, MigrationRun, SpareSchema, Tenant
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


def tenant_for_schema(schema_name: str) -> Tenant | None:
    return Tenant.objects.filter(schema_name=schema_name).first()


def tenants_all() -> QuerySet[Tenant]:
    """Every tenant, whatever its status (the public schema's row is the platform's own)."""
    return Tenant.objects.exclude(schema_name=get_public_schema_name())


def tenants_live() -> QuerySet[Tenant]:
    """Tenants whose schema is ready and kept: all but those being provisioned and the closed
    ones. Beat's sweeps, the registry's notices and the rollup visit these."""
    return tenants_all().exclude(status__in=(Tenant.Status.PROVISIONING, Tenant.Status.CLOSED))


def tenant_url(tenant: Tenant, path: str = "/") -> str:
    """An absolute URL on the host the citizen reached the tenant by (a custom domain too);
    outside a web request (tasks, commands) on its platform subdomain."""
    return host_url(getattr(tenant, "domain_url", None) or tenant.subdomain, path)


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
    tenants = tenants_all().select_related("province")
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


def migration_run_last() -> MigrationRun | None:
    """The last `migrate_tenants` run, for the vendor console."""
    return MigrationRun.objects.first()
