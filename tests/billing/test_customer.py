"""One Stripe customer per tenant, created once by a recorded step; when Stripe cannot be
reached, onboarding and the portal still work and the step waits, visibly, for a retry."""

from datetime import timedelta

from django.utils import timezone

from billing.models import BillingAccount, BillingStep
from billing.services import billing_step_run, billing_steps_retry
from tenants.models import Tenant
from tests.clients import host_client
from tests.stripe_events import customer_for

ONBOARD_FORM = {
    "name": "شهرداری نطنز", "slug": "natanz", "kind": "municipality", "province": "isfahan", "admin_email": "admin@natanz.test",
}


def test_the_customer_is_created_in_stripe_once(stripe_up, tenant_a):
    step = BillingStep.objects.get(tenant=tenant_a)
    assert step.status == BillingStep.Status.PENDING  # no Stripe key when the session's tenants were onboarded

    customer_id = customer_for(tenant_a)

    customer = stripe_up.v1.customers.retrieve(customer_id)
    assert customer.name == "شهرداری آلفا"
    assert customer.email == "admin@alpha.test"
    assert customer.metadata["tenant"] == "alpha"
    step.refresh_from_db()
    assert step.status == BillingStep.Status.DONE and step.attempts == 1
    # Running it again (a second worker, the retry task) creates nothing more.
    assert billing_step_run(step_id=step.pk) is None
    others_waiting = BillingStep.objects.exclude(status=BillingStep.Status.DONE).exclude(tenant=tenant_a).count()
    assert billing_steps_retry(now=timezone.now() + timedelta(hours=1)) == others_waiting  # beta's (and any other tenant's), not alpha's
    step.refresh_from_db()
    assert step.attempts == 1
    assert BillingAccount.objects.get(tenant=tenant_a).stripe_customer_id == customer_id


def test_onboarding_while_stripe_is_unreachable(stripe_down, settings, localstripe_url, vendor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = vendor_client.post("/console/tenants/new/", ONBOARD_FORM)
    assert response.status_code == 302
    tenant = Tenant.objects.get(slug="natanz")
    assert tenant.status == Tenant.Status.TRIAL
    assert host_client(tenant.subdomain).get("/").status_code == 200

    step = BillingStep.objects.get(tenant=tenant)
    assert step.status == BillingStep.Status.FAILED and step.attempts == 1
    assert "APIConnectionError" in step.last_error
    assert step.next_attempt_at > timezone.now()
    page = vendor_client.get("/console/billing/").content.decode()
    assert "شهرداری نطنز" in page and "ناموفق، تلاش دوباره" in page and "APIConnectionError" in page

    # Stripe is back; the beat task retries the step once it is due.
    settings.STRIPE_API_BASE = localstripe_url
    billing_steps_retry()
    assert BillingStep.objects.get(pk=step.pk).status == BillingStep.Status.FAILED  # not due yet
    billing_steps_retry(now=step.next_attempt_at + timedelta(seconds=1))
    step.refresh_from_db()
    assert step.status == BillingStep.Status.DONE and step.attempts == 2
    assert BillingAccount.objects.get(tenant=tenant).stripe_customer_id.startswith("cus_")
    assert "شهرداری نطنز" not in vendor_client.get("/console/billing/").content.decode().split("<table>")[1]


def test_the_vendor_retries_a_step_from_the_console(stripe_down, settings, localstripe_url, vendor_client, tenant_b):
    step = BillingStep.objects.get(tenant=tenant_b)
    response = vendor_client.post(f"/console/billing/steps/{step.pk}/retry", follow=True)
    assert "مرحله هنوز انجام نشد" in response.content.decode()
    assert BillingStep.objects.get(pk=step.pk).status == BillingStep.Status.FAILED

    settings.STRIPE_API_BASE = localstripe_url
    response = vendor_client.post(f"/console/billing/steps/{step.pk}/retry", follow=True)
    assert "انجام شد" in response.content.decode()
    assert BillingStep.objects.get(pk=step.pk).status == BillingStep.Status.DONE


def test_without_a_stripe_key_nothing_is_sent_and_the_step_waits(settings, tenant_b):
    settings.STRIPE_SECRET_KEY = ""
    step = billing_step_run(step_id=BillingStep.objects.get(tenant=tenant_b).pk)
    assert step.status == BillingStep.Status.PENDING and step.attempts == 0
    assert "STRIPE_SECRET_KEY" in step.last_error
