"""The vendor console: only for vendor staff; onboard, suspend, reactivate, close, domains."""

import pytest

from tenants.models import Domain, Tenant
from tests.builders import STAFF_PASSWORD, SUPERVISOR_EMAIL
from tests.clients import host_client

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def test_console_asks_anonymous_visitors_to_sign_in(public_client):
    response = public_client.get("/console/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_console_refuses_non_vendor_platform_users(public_client):
    public_client.post("/accounts/login/", {"login": SUPERVISOR_EMAIL, "password": STAFF_PASSWORD})
    assert public_client.get("/console/").status_code == 403


def test_vendor_signs_in_and_lands_on_the_console(public_client):
    response = public_client.post("/accounts/login/", {"login": "vendor@mizban.test", "password": STAFF_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/console/"


def test_list_and_search(vendor_client):
    page = vendor_client.get("/console/").content.decode()
    assert "شهرداری آلفا" in page and "دهیاری بتا" in page
    found = vendor_client.get("/console/", {"q": "بتا"}).content.decode()
    assert "دهیاری بتا" in found and "شهرداری آلفا" not in found
    by_province = vendor_client.get("/console/", {"province": "tehran"}).content.decode()
    assert "شهرداری آلفا" in by_province and "دهیاری بتا" not in by_province


def test_onboard_from_the_browser_form(vendor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = vendor_client.post(
            "/console/tenants/new/",
            {"name": "دهیاری کندوان", "slug": "kandovan", "kind": "dehyari", "province": "east-azerbaijan",
             "admin_email": "dehyar@kandovan.test"},
        )
    assert response.status_code == 302 and response["Location"] == "/console/tenants/kandovan/"
    assert host_client("kandovan.localhost").get("/").status_code == 200


def test_onboard_form_shows_persian_errors_and_saves_nothing(vendor_client):
    response = vendor_client.post(
        "/console/tenants/new/",
        {"name": "شهرداری تکراری", "slug": "alpha", "kind": "municipality", "province": "tehran",
         "admin_email": "x@y.test", "national_id": "12345678901"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "مشترکی با این نشانی کوتاه وجود دارد" in page
    assert "شناسه ملی باید ۱۱ رقم" in page
    assert not Tenant.objects.filter(name="شهرداری تکراری").exists()


def test_suspend_reactivate_close(vendor_client, tenant_b):
    vendor_client.post("/console/tenants/beta/status/suspend/")
    assert Tenant.objects.get(pk=tenant_b.pk).status == "suspended"
    assert host_client(tenant_b.subdomain).get("/").status_code == 503
    vendor_client.post("/console/tenants/beta/status/reactivate/")
    assert host_client(tenant_b.subdomain).get("/").status_code == 200
    vendor_client.post("/console/tenants/beta/status/close/")
    assert host_client(tenant_b.subdomain).get("/").status_code == 410
    page = vendor_client.get("/console/tenants/beta/").content.decode()
    assert "بسته‌شده" in page


def test_status_change_needs_post(vendor_client):
    assert vendor_client.get("/console/tenants/beta/status/suspend/").status_code == 405


def test_custom_domain_answers_only_once_verified(vendor_client, tenant_a):
    vendor_client.post("/console/tenants/alpha/domains/add", {"domain": "e.alpha-city.ir"})
    domain = Domain.objects.get(domain="e.alpha-city.ir")
    assert not domain.is_verified
    assert host_client("e.alpha-city.ir").get("/").status_code == 404
    vendor_client.post(f"/console/tenants/alpha/domains/{domain.pk}/verify")
    response = host_client("e.alpha-city.ir").get("/")
    assert response.status_code == 200 and "شهرداری آلفا" in response.content.decode()


@pytest.mark.parametrize("bad", ["not a domain", "x.localhost", "alpha.localhost"])
def test_bad_domains_are_refused(vendor_client, bad):
    before = list(Domain.objects.order_by("id").values_list("domain", "tenant__slug"))
    response = vendor_client.post("/console/tenants/alpha/domains/add", {"domain": bad}, follow=True)
    assert list(Domain.objects.order_by("id").values_list("domain", "tenant__slug")) == before
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_a_refused_domain_comes_back_in_its_box_with_its_tick(vendor_client):
    response = vendor_client.post("/console/tenants/alpha/domains/add", {"domain": "x.localhost", "verified": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'name="domain" id="id_domain" value="x.localhost"' in page
    assert '<input type="checkbox" name="verified" checked>' in page


def test_moves_are_the_vendors_alone_and_need_the_cluster(public_client, vendor_client, client_b, tenant_a):
    """The move and rebalance routes: only on the platform's host, only for the vendor, and on a
    single PostgreSQL refused in Persian (DATABASE_CITUS off) with nothing recorded."""
    from django.conf import settings

    supervisor = host_client(settings.PLATFORM_DOMAIN)
    supervisor.post("/accounts/login/", {"login": SUPERVISOR_EMAIL, "password": STAFF_PASSWORD})
    for path in (f"/console/tenants/{tenant_a.slug}/move/", "/console/rebalance/"):
        assert supervisor.post(path, {"node": "localhost:9702"}).status_code == 403
        assert client_b.post(path, {"node": "localhost:9702"}).status_code == 404
        assert vendor_client.get(path).status_code == 405
    if settings.DATABASE_CITUS:
        return  # on the cluster, tests/tenants/test_cluster.py moves tenants
    page = vendor_client.post(f"/console/tenants/{tenant_a.slug}/move/", {"node": "localhost:9702"}, follow=True)
    assert "خوشه سیتوس نیست" in page.content.decode()
    page = vendor_client.post("/console/rebalance/", follow=True)
    assert "خوشه سیتوس نیست" in page.content.decode()
    assert not tenant_a.events.filter(action="moved").exists()
