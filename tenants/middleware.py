"""Which tenant a request is for, and whether that tenant is serving."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponseNotFound
from django.http.request import split_domain_port, validate_host
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from lib.hosts import custom_host_admit, custom_host_forget
from tenants.models import Tenant
from tenants.selectors import tenant_for_host


class TenantResolutionMiddleware(TenantMainMiddleware):
    """Maps the Host header to the public site or to one tenant's schema.

    The platform domain is the public site; every other host must be a tenant's domain
    (looked up through a cache, see tenants.selectors.tenant_for_host), or gets 404.
    """

    def __call__(self, request):
        admitted = custom_host_admit(self._verified_custom_host(request))
        try:
            return super().__call__(request)
        finally:
            custom_host_forget(admitted)

    @staticmethod
    def _verified_custom_host(request) -> str:
        """The request's host when it is not one of the platform's and a tenant answers on it
        (a verified custom domain): ALLOWED_HOSTS admits it for this request only."""
        domain, _port = split_domain_port(request._get_raw_host())  # what get_host() will check
        domain = domain.lower()
        if not domain or validate_host(domain, list.__iter__(settings.ALLOWED_HOSTS)):
            return ""
        return domain if tenant_for_host(domain) is not None else ""

    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            hostname = request.get_host().split(":")[0].lower()
        except DisallowedHost:
            return _not_found(request.META.get("HTTP_HOST", ""))
        if hostname in (settings.PLATFORM_DOMAIN, "www." + settings.PLATFORM_DOMAIN):
            request.tenant = connection.tenant
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            _tag_sentry("public")
            return None
        tenant = tenant_for_host(hostname)
        if tenant is None:
            return _not_found(hostname)
        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        _tag_sentry(tenant.schema_name)
        return None


class TenantLifecycleMiddleware:
    """A suspended tenant's portal answers 503 with a notice; a closed one 410.

    Staff of a suspended tenant may still sign in and read (nothing is deleted), but not
    change anything, except paying on the billing page, which is how it serves again.
    """

    STAFF_PREFIXES = ("/staff/", "/accounts/")
    # The theme's stylesheet, logo and favicon: the notice itself is drawn with them.
    THEME_PREFIX = "/branding/"
    PAY_WHILE_SUSPENDED_PREFIX = "/staff/billing/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (isinstance(tenant, Tenant) and not tenant.is_serving and not request.path.startswith("/healthz")
                and not (request.path.startswith(self.THEME_PREFIX) and request.method in ("GET", "HEAD"))):
            read_only_staff = (
                tenant.status == Tenant.Status.SUSPENDED
                and request.path.startswith(self.STAFF_PREFIXES)
                and (request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith(self.PAY_WHILE_SUSPENDED_PREFIX))
            )
            if not read_only_staff and not _is_sign_in(request, tenant):
                return _unavailable(request, tenant)
        return self.get_response(request)


def _is_sign_in(request, tenant) -> bool:
    """Staff of a suspended tenant can still sign in to read."""
    return tenant.status == Tenant.Status.SUSPENDED and request.path.rstrip("/") == "/accounts/login"


def _unavailable(request, tenant):
    from django.shortcuts import render

    status = 410 if tenant.status == Tenant.Status.CLOSED else 503
    response = render(request, "errors/tenant_unavailable.html", {"tenant": tenant, "closed": status == 410}, status=status)
    if status == 503:
        response["Retry-After"] = "3600"
    return response


def _not_found(hostname: str):
    return HttpResponseNotFound(render_to_string("errors/unknown_host.html", {"hostname": hostname}))


def _tag_sentry(schema_name: str) -> None:
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.set_tag("tenant", schema_name)
