"""A tenant's status as its payments say: trial -> active -> past due (banner, e-mail, grace)
-> suspended (portal notice, staff read-only) -> active again; closed only by the vendor."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.lifecycle import billing_overdue_apply
from billing.models import BillingAccount
from tenants.models import Tenant, TenantEvent
from tenants.services import tenant_set_status
from tests.builders import SESSION_TENANTS, user_make
from tests.clients import signed_in
from tests.stripe_events import invoice, make_event, post_event

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus

BANNER = "پرداخت اشتراک این دستگاه انجام نشده است"


def _status(tenant):
    return Tenant.objects.get(pk=tenant.pk).status


def _send(client, type_, obj, capture):
    with capture(execute=True):
        assert post_event(client, make_event(type_, obj)).status_code == 200


def test_trial_becomes_active_on_payment(stripe_up, customer_a, tenant_a, public_client, mailoutbox, django_capture_on_commit_callbacks):
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid"), django_capture_on_commit_callbacks)
    assert _status(tenant_a) == Tenant.Status.ACTIVE
    event = TenantEvent.objects.filter(tenant=tenant_a, action="billing").get()
    assert (event.from_status, event.to_status) == ("trial", "active") and "invoice.paid" in event.note
    assert mailoutbox[-1].to == ["admin@alpha.test"] and "فعال" in mailoutbox[-1].subject


def test_a_zero_invoice_at_a_trial_start_keeps_the_trial(stripe_up, customer_a, tenant_a, public_client, django_capture_on_commit_callbacks):
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid", amount=0), django_capture_on_commit_callbacks)
    assert _status(tenant_a) == Tenant.Status.TRIAL


def test_failed_payment_then_grace_then_suspension_then_payment(
    stripe_up, customer_a, tenant_a, public_client, client_a, mailoutbox, django_capture_on_commit_callbacks
):
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid"), django_capture_on_commit_callbacks)
    _send(public_client, "invoice.payment_failed", invoice(customer_a, status="open"), django_capture_on_commit_callbacks)

    # Past due: the portal still serves, the admins see a banner and got an e-mail.
    assert _status(tenant_a) == Tenant.Status.PAST_DUE
    assert client_a.get("/").status_code == 200
    admin = signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    staff_home = admin.get("/staff/").content.decode()
    assert BANNER in staff_home
    assert "پرداخت اشتراک «شهرداری آلفا» انجام نشد" in mailoutbox[-1].subject
    account = BillingAccount.objects.get(tenant=tenant_a)
    assert account.grace_ends_at - timezone.now() > timedelta(days=6)
    assert "مهلت پرداخت" in admin.get("/staff/billing/").content.decode()

    # Within the grace period nothing happens; after it the tenant is suspended.
    assert billing_overdue_apply()["suspended"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert billing_overdue_apply(now=account.grace_ends_at + timedelta(minutes=1))["suspended"] == 1
    assert _status(tenant_a) == Tenant.Status.SUSPENDED
    portal = client_a.get("/")
    assert portal.status_code == 503 and "موقتاً در دسترس نیست" in portal.content.decode()
    assert admin.get("/staff/billing/").status_code == 200  # staff can still read
    assert admin.post("/accounts/password/change/", {}).status_code == 503  # but not change
    assert "تعلیق شد" in mailoutbox[-1].subject

    # Paying again brings it back.
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid"), django_capture_on_commit_callbacks)
    assert _status(tenant_a) == Tenant.Status.ACTIVE
    assert client_a.get("/").status_code == 200
    assert BANNER not in admin.get("/staff/").content.decode()
    moves = list(TenantEvent.objects.filter(tenant=tenant_a, action="billing").order_by("id").values_list("from_status", "to_status"))
    assert moves == [("trial", "active"), ("active", "past_due"), ("past_due", "suspended"), ("suspended", "active")]
    assert len(mailoutbox) == 4


def test_a_clerk_does_not_see_the_banner(stripe_up, customer_a, tenant_a, client_a, public_client, django_capture_on_commit_callbacks):
    from django_tenants.utils import schema_context

    from accounts.models import User

    _send(public_client, "invoice.payment_failed", invoice(customer_a, status="open"), django_capture_on_commit_callbacks)
    with schema_context(tenant_a.schema_name):
        user_make(email="clerk@alpha.test", role=User.Role.CLERK)
    signed_in(client_a, "clerk@alpha.test")
    assert BANNER not in client_a.get("/staff/").content.decode()


def test_a_trial_that_ends_unpaid_becomes_past_due_then_suspended(stripe_up, customer_a, tenant_a, django_capture_on_commit_callbacks):
    trial_end = Tenant.objects.get(pk=tenant_a.pk).trial_ends_at
    assert billing_overdue_apply()["trial_ended"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert billing_overdue_apply(now=trial_end + timedelta(hours=1))["trial_ended"] >= 1
    assert _status(tenant_a) == Tenant.Status.PAST_DUE
    grace_end = BillingAccount.objects.get(tenant=tenant_a).grace_ends_at
    billing_overdue_apply(now=grace_end + timedelta(seconds=1))
    assert _status(tenant_a) == Tenant.Status.SUSPENDED


def test_a_cancelled_subscription_leaves_the_tenant_past_due(stripe_up, customer_a, tenant_a, public_client, django_capture_on_commit_callbacks):
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid"), django_capture_on_commit_callbacks)
    subscription = {"id": "sub_gone", "object": "subscription", "customer": customer_a, "status": "canceled", "items": {"data": []}}
    _send(public_client, "customer.subscription.deleted", subscription, django_capture_on_commit_callbacks)
    assert _status(tenant_a) == Tenant.Status.PAST_DUE
    assert BillingAccount.objects.get(tenant=tenant_a).subscription_status == "canceled"


def test_payments_never_reopen_a_closed_tenant_nor_lift_the_vendors_suspension(
    stripe_up, customer_a, customer_b, tenant_a, tenant_b, public_client, django_capture_on_commit_callbacks
):
    tenant_set_status(tenant=tenant_a, action="close", actor="vendor@mizban.test")
    tenant_set_status(tenant=tenant_b, action="suspend", actor="vendor@mizban.test")
    _send(public_client, "invoice.paid", invoice(customer_a, status="paid"), django_capture_on_commit_callbacks)
    _send(public_client, "invoice.paid", invoice(customer_b, status="paid"), django_capture_on_commit_callbacks)
    _send(public_client, "invoice.payment_failed", invoice(customer_a, status="open"), django_capture_on_commit_callbacks)
    assert _status(tenant_a) == Tenant.Status.CLOSED
    assert _status(tenant_b) == Tenant.Status.SUSPENDED
    assert not TenantEvent.objects.filter(action="billing").exists()
