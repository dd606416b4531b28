"""ALLOWED_HOSTS that also admits the custom domains the vendor has verified.

Django checks the Host header against ALLOWED_HOSTS before any view runs; custom domains
are added at run time, so the tenancy middleware looks the request's host up in the host map
(cached, indexed by domain) and admits it here for that request alone.
"""

from __future__ import annotations

from contextvars import ContextVar, Token

from django.conf import settings

# The custom domain of the request being served, once the tenancy middleware has found it
# verified (tenants/middleware.py); empty outside a request and for every other host.
_verified_custom_host: ContextVar[str] = ContextVar("mizban_verified_custom_host", default="")


def custom_host_admit(hostname: str) -> Token:
    """Admit `hostname` (a verified custom domain) to ALLOWED_HOSTS for the current request;
    hand the token back to custom_host_forget when the request ends."""
    return _verified_custom_host.set(hostname)


def custom_host_forget(token: Token) -> None:
    _verified_custom_host.reset(token)


class PlatformAllowedHosts(list):
    """The static platform patterns, then the request's own host if it is a verified custom
    domain: one host checked through the cached host map, never a list of every tenant's
    custom domains (which would grow with the tenants)."""

    def __iter__(self):
        yield from super().__iter__()
        custom = _verified_custom_host.get()
        if custom:
            yield custom


def host_url(host: str, path: str = "/") -> str:
    """An absolute URL on one of the platform's hosts, with the configured scheme and port."""
    port = settings.PLATFORM_PORT
    default_port = 443 if settings.PLATFORM_URL_SCHEME == "https" else 80
    suffix = f":{port}" if port and port != default_port else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{host}{suffix}{path}"
