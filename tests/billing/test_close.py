"""Closing a tenant (the vendor) cancels its Stripe subscription through a recorded step:
at once when Stripe answers, later when it does not; Stripe's "subscription deleted" that
follows cannot reopen the tenant."""

from datetime import timedelta

from django.utils import timezone

from billing.models import BillingAccount, BillingStep
from billing.services import billing_steps_retry
from tenants.models import Tenant
from tenants.services import tenant_set_status
from tests.stripe_events import make_event, post_event, subscribe_in_localstripe


def _close(tenant, capture):
    with capture(execute=True):
        tenant_set_status(tenant=tenant, action="close", actor="vendor@mizban.test")


def _cancel_step(tenant) -> BillingStep:
    return BillingStep.objects.get(tenant=tenant, kind=BillingStep.Kind.SUBSCRIPTION_CANCEL)


def test_closing_cancels_the_subscription_in_stripe(stripe_up, plans, customer_a, tenant_a, public_client, django_capture_on_commit_callbacks):
    subscription = subscribe_in_localstripe(stripe_up, customer_a, plans["standard"].stripe_price_monthly)

    _close(tenant_a, django_capture_on_commit_callbacks)

    assert stripe_up.v1.subscriptions.retrieve(subscription).status == "canceled"
    assert _cancel_step(tenant_a).status == BillingStep.Status.DONE
    assert BillingAccount.objects.get(tenant=tenant_a).subscription_status == "canceled"
    # Stripe then tells us the subscription ended: the tenant stays closed.
    ended = stripe_up.v1.subscriptions.retrieve(subscription).to_dict()
    assert post_event(public_client, make_event("customer.subscription.deleted", ended)).status_code == 200
    assert Tenant.objects.get(pk=tenant_a.pk).status == Tenant.Status.CLOSED


def test_with_stripe_down_the_cancellation_waits_and_is_retried(
    stripe_up, plans, customer_a, tenant_a, settings, localstripe_url, django_capture_on_commit_callbacks
):
    subscription = subscribe_in_localstripe(stripe_up, customer_a, plans["basic"].stripe_price_monthly)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nobody listens: Stripe unreachable

    _close(tenant_a, django_capture_on_commit_callbacks)

    step = _cancel_step(tenant_a)
    assert Tenant.objects.get(pk=tenant_a.pk).status == Tenant.Status.CLOSED  # closing never waits for Stripe
    assert step.status == BillingStep.Status.FAILED and "APIConnectionError" in step.last_error
    assert stripe_up.v1.subscriptions.retrieve(subscription).status == "active"

    settings.STRIPE_API_BASE = localstripe_url  # Stripe is back; the beat task retries
    billing_steps_retry(now=timezone.now() + timedelta(hours=1))
    step.refresh_from_db()
    assert step.status == BillingStep.Status.DONE
    assert stripe_up.v1.subscriptions.retrieve(subscription).status == "canceled"


def test_a_tenant_without_a_subscription_closes_with_nothing_to_cancel(stripe_up, customer_a, tenant_a, django_capture_on_commit_callbacks):
    _close(tenant_a, django_capture_on_commit_callbacks)
    assert _cancel_step(tenant_a).status == BillingStep.Status.DONE
    assert BillingAccount.objects.get(tenant=tenant_a).subscription_status == ""
