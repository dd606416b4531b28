"""ALLOWED_HOSTS that also admits the custom domains the vendor has verified.

Django checks the Host header against ALLOWED_HOSTS before any view runs; custom domains
are added at run time, so this list reads them from the database (cached briefly, and
dropped from the cache whenever a domain is saved).
"""

from __future__ import annotations

from django.conf import settings

CUSTOM_DOMAINS_CACHE_KEY = "mizban:verified-custom-domains"
CUSTOM_DOMAINS_TTL_SECONDS = 60


def verified_custom_domains() -> list[str]:
    from django.core.cache import caches
    from django.db import connection

    domains = caches["platform"].get(CUSTOM_DOMAINS_CACHE_KEY)
    if domains is None:
        # Named with its schema: the connection may already be set to a tenant.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT domain FROM public.tenants_domain WHERE is_custom AND is_verified"
            )
            domains = [row[0] for row in cursor.fetchall()]
        caches["platform"].set(CUSTOM_DOMAINS_CACHE_KEY, domains, CUSTOM_DOMAINS_TTL_SECONDS)
    return domains


def forget_custom_domains() -> None:
    from django.core.cache import caches

    caches["platform"].delete(CUSTOM_DOMAINS_CACHE_KEY)


class PlatformAllowedHosts(list):
    """The static platform patterns, then the verified custom domains."""

    def __iter__(self):
        yield from super().__iter__()
        try:
            yield from verified_custom_domains()
        except Exception:  # the database is not ready (start-up, migrations): static hosts only
            return


def host_url(host: str, path: str = "/") -> str:
    """An absolute URL on one of the platform's hosts, with the configured scheme and port."""
    port = settings.PLATFORM_PORT
    default_port = 443 if settings.PLATFORM_URL_SCHEME == "https" else 80
    suffix = f":{port}" if port and port != default_port else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{host}{suffix}{path}"
