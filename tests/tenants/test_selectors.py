"""The one place for which tenants are live, a tenant's row by schema and a tenant's URL."""

from tenants.models import Tenant
from tenants.selectors import tenant_for_schema, tenant_url, tenants_all, tenants_live


def _status(tenant, status):
    Tenant.objects.filter(pk=tenant.pk).update(status=status)


def test_live_tenants_are_all_but_the_provisioning_and_the_closed(tenant_a, tenant_b):
    for status in (Tenant.Status.TRIAL, Tenant.Status.ACTIVE, Tenant.Status.PAST_DUE, Tenant.Status.SUSPENDED):
        _status(tenant_a, status)
        assert tenant_a in tenants_live()
    for status in (Tenant.Status.PROVISIONING, Tenant.Status.CLOSED):
        _status(tenant_a, status)
        assert tenant_a not in tenants_live() and tenant_b in tenants_live()
    assert not tenants_live().filter(schema_name="public").exists()


def test_all_tenants_keep_the_closed_but_never_the_public_row(tenant_a):
    _status(tenant_a, Tenant.Status.CLOSED)
    assert tenant_a in tenants_all()
    assert not tenants_all().filter(schema_name="public").exists()


def test_a_tenant_by_its_schema(tenant_a):
    assert tenant_for_schema(tenant_a.schema_name) == tenant_a
    assert tenant_for_schema("t_nobody") is None


def test_a_tenant_url_is_on_the_host_it_was_reached_by_else_its_subdomain(tenant_a, settings):
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_PORT = "https", 443
    assert tenant_url(tenant_a, "/track/") == f"https://{tenant_a.subdomain}/track/"
    assert tenant_url(tenant_a) == f"https://{tenant_a.subdomain}/"
    tenant_a.domain_url = "khedmat.alpha.ir"  # what the middleware sets for a custom domain
    assert tenant_url(tenant_a, "/track/") == "https://khedmat.alpha.ir/track/"
