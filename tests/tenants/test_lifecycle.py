"""Suspended and closed tenants: the portal says so in Persian; staff of a suspended one can read."""

import pytest
from django.core.exceptions import ValidationError

from tenants.models import Tenant, TenantEvent
from tenants.services import tenant_set_status
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD


def test_suspended_portal_answers_503_with_a_persian_notice(tenant_a, client_a):
    tenant_set_status(tenant=tenant_a, action="suspend", actor="test")
    response = client_a.get("/")
    assert response.status_code == 503
    assert "موقتاً در دسترس نیست" in response.content.decode()
    assert TenantEvent.objects.filter(tenant=tenant_a, action="suspend", to_status="suspended").exists()


def test_staff_of_a_suspended_tenant_can_read_but_not_change(tenant_a, client_a):
    tenant_set_status(tenant=tenant_a, action="suspend")
    signed_in = client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    assert signed_in.status_code == 302
    page = client_a.get("/staff/")
    assert page.status_code == 200 and "تعلیق" in page.content.decode()
    assert client_a.post("/accounts/password/change/", {}).status_code == 503


def test_reactivated_portal_serves_again(tenant_a, client_a):
    tenant_set_status(tenant=tenant_a, action="suspend")
    assert client_a.get("/").status_code == 503
    tenant = tenant_set_status(tenant=tenant_a, action="reactivate")
    assert tenant.status in (Tenant.Status.TRIAL, Tenant.Status.ACTIVE)
    assert client_a.get("/").status_code == 200


def test_closed_portal_answers_410(tenant_b, client_b):
    tenant_set_status(tenant=tenant_b, action="close")
    response = client_b.get("/")
    assert response.status_code == 410
    assert "بسته شده" in response.content.decode()
    with pytest.raises(ValidationError):
        tenant_set_status(tenant=tenant_b, action="reactivate")


def test_suspended_tenants_leave_the_directory(tenant_a, public_client):
    assert "شهرداری آلفا" in public_client.get("/").content.decode()
    tenant_set_status(tenant=tenant_a, action="suspend")
    assert "شهرداری آلفا" not in public_client.get("/").content.decode()
