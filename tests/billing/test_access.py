"""Who reaches billing: a tenant's admins their own only; not clerks; the console only vendors."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import BillingAccount, BillingStep, Plan
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, SUPERVISOR_EMAIL, row_values, user_make
from tests.clients import signed_in


def test_anonymous_visitors_are_sent_tosigned_in(client_a):
    response = client_a.get("/staff/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [User.Role.CLERK, User.Role.UNIT_MANAGER, User.Role.DESK_OPERATOR])
def test_staff_who_are_not_admins_cannot_reach_billing(tenant_a, client_a, role):
    with schema_context(tenant_a.schema_name):
        user_make(email=f"{role}@alpha.test", role=role)
    signed_in(client_a, f"{role}@alpha.test")
    account, steps = BillingAccount.objects.get(tenant=tenant_a), BillingStep.objects.filter(tenant=tenant_a).count()
    before = row_values(account, schema="public")
    assert client_a.get("/staff/billing/").status_code == 403
    assert client_a.post("/staff/billing/checkout/", {"plan": "basic", "interval": "month"}).status_code == 403
    assert client_a.post("/staff/billing/portal/").status_code == 403
    assert row_values(account, schema="public") == before
    assert BillingStep.objects.filter(tenant=tenant_a).count() == steps
    assert "اشتراک و صورت‌حساب" not in client_a.get("/staff/").content.decode()


def test_an_admin_sees_only_their_own_tenant(tenant_a, tenant_b, client_a, client_b):
    BillingAccount.objects.filter(tenant=tenant_b).update(plan=Plan.objects.get(code="plus"), subscription_status="active")
    signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    page = client_a.get("/staff/billing/").content.decode()
    assert "شهرداری آلفا" in page and "دهیاری بتا" not in page
    assert "پیشرفته" not in page.split("انتخاب طرح")[0]  # beta's plan is not shown as alpha's

    # Alpha's session means nothing on beta's host (sessions live in each tenant's schema).
    client_b.cookies = client_a.cookies
    response = client_b.get("/staff/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_b.post("/staff/billing/checkout/", {"plan": "basic", "interval": "month"}).status_code == 302
    assert BillingAccount.objects.get(tenant=tenant_b).plan.code == "plus"

    # Beta's own admin sees beta's plan, and beta's admin password does not open alpha.
    signed_in(client_b, SESSION_TENANTS["beta"]["admin_email"])
    assert "پیشرفته" in client_b.get("/staff/billing/").content.decode()
    refused = client_a.__class__(HTTP_HOST=client_a.defaults["HTTP_HOST"]).post(
        "/accounts/login/", {"login": SESSION_TENANTS["beta"]["admin_email"], "password": STAFF_PASSWORD}
    )
    assert refused.status_code == 200  # the form again, with an error


def test_the_billing_console_is_for_vendors_only(public_client, client_a):
    response = public_client.get("/console/billing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    signed_in(public_client, SUPERVISOR_EMAIL)
    assert public_client.get("/console/billing/").status_code == 403
    assert public_client.get("/console/billing/plans/").status_code == 403
    assert client_a.get("/console/billing/").status_code == 404  # not on tenants' hosts
