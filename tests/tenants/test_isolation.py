"""One tenant never sees another's data, and the platform's own pages are not on tenant hosts."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from portal_themes.models import Theme
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, user_make
from tests.clients import host_client


def test_portal_shows_only_its_own_tenant(client_a, client_b):
    page_a = client_a.get("/").content.decode()
    page_b = client_b.get("/").content.decode()
    assert "شهرداری آلفا" in page_a and "دهیاری بتا" not in page_a
    assert "دهیاری بتا" in page_b and "شهرداری آلفا" not in page_b


def test_theme_changed_in_a_is_not_seen_in_b(tenant_a, client_a, client_b):
    with schema_context(tenant_a.schema_name):
        Theme.objects.update(display_name="نام ویژه آلفا", primary_color="#123456")
    assert "نام ویژه آلفا" in client_a.get("/").content.decode()
    page_b = client_b.get("/").content.decode()
    assert "نام ویژه آلفا" not in page_b and "#123456" not in page_b


def test_staff_of_a_cannot_sign_in_on_b(client_b):
    response = client_b.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client_b.session
    assert client_b.get("/staff/").status_code == 302


def test_a_session_from_a_is_worthless_on_b(tenant_a, tenant_b):
    client = host_client(tenant_a.subdomain)
    signed_in = client.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/staff/").status_code == 200
    # The same cookie jar sent to B's host: B's schema has no such session.
    response = client.get("/staff/", HTTP_HOST=tenant_b.subdomain)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_users_live_in_their_own_schema(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        user_make(email="clerk@alpha.test", role=User.Role.CLERK, password=None)
    with schema_context(tenant_b.schema_name):
        assert not User.objects.filter(email="clerk@alpha.test").exists()
        assert not User.objects.filter(email=SESSION_TENANTS["alpha"]["admin_email"]).exists()
    assert not User.objects.filter(email="clerk@alpha.test").exists()  # nor in the public schema


@pytest.mark.parametrize("path", ["/console/", "/console/tenants/new/", "/admin/", "/admin/login/"])
def test_vendor_pages_do_not_exist_on_tenant_hosts(client_a, path):
    assert client_a.get(path).status_code == 404


def test_vendor_cannot_use_the_console_through_a_tenant_host(tenant_a):
    client = host_client(tenant_a.subdomain)
    # The vendor's account lives in the public schema only.
    client.post("/accounts/login/", {"login": "vendor@mizban.test", "password": STAFF_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/console/").status_code == 404


@pytest.mark.parametrize("host", ["nobody.localhost", "evil.example.com", "alpha.localhost.evil.com", "1.2.3.4"])
def test_a_host_naming_no_tenant_gets_404(db, host):
    response = host_client(host).get("/")
    assert response.status_code == 404
    assert "ثبت نشده" in response.content.decode()


def test_tenant_staff_cannot_sign_in_to_the_platform(public_client):
    public_client.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    assert "_auth_user_id" not in public_client.session
    assert public_client.get("/console/").status_code == 302
