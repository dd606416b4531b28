"""The password-reset e-mail's link is built from the site's configured address (scheme, the
tenant's domain, PLATFORM_PORT), never from the port a client wrote in its Host header."""

import re

from django.core import mail
from django.test import Client

from tests.builders import SESSION_TENANTS, VENDOR_EMAIL

ADMIN = SESSION_TENANTS["alpha"]["admin_email"]
LINK = re.compile(r"https?://\S+")


def _reset_link(host: str, email: str) -> str:
    response = Client(HTTP_HOST=host).post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    (link,) = LINK.findall(mail.outbox[-1].body)
    return link


def test_a_tenant_reset_link_ignores_the_host_headers_port(tenant_a, settings):
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_PORT = "https", 443
    link = _reset_link(f"{tenant_a.subdomain}:6666", ADMIN)
    assert link.startswith(f"https://{tenant_a.subdomain}/accounts/password/reset/key/")
    assert ":6666" not in link


def test_a_configured_port_is_kept(tenant_a, settings):
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_PORT = "http", 8000
    link = _reset_link(f"{tenant_a.subdomain}:31337", ADMIN)
    assert link.startswith(f"http://{tenant_a.subdomain}:8000/accounts/password/reset/key/")


def test_the_link_opens_the_set_password_page(tenant_a, settings):
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_PORT = "http", 8000
    link = _reset_link(f"{tenant_a.subdomain}:9", ADMIN)
    path = link.split(":8000", 1)[1]
    page = Client(HTTP_HOST=tenant_a.subdomain).get(path, follow=True)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()


def test_the_vendor_consoles_reset_link_is_on_the_platform_domain(db, settings):
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_PORT = "https", 443
    link = _reset_link(f"{settings.PLATFORM_DOMAIN}:6666", VENDOR_EMAIL)
    assert link.startswith(f"https://{settings.PLATFORM_DOMAIN}/accounts/password/reset/key/")
