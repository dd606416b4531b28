"""The tenant admin's billing page: plan, usage against limits, invoices; paying through
Checkout and managing the card through the Customer Portal."""

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from billing.lifecycle import billing_overdue_apply
from billing.models import BillingAccount
from tenants.models import Tenant
from tests.stripe_events import invoice, make_event, post_event


@pytest.fixture
def fake_stripe_sessions(httpserver, settings):
    """Checkout and the Customer Portal, which localstripe does not implement, answered on
    loopback the way Stripe answers them."""
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.test/c/pay/cs_test_1"}
    )
    httpserver.expect_request("/v1/billing_portal/sessions", method="POST").respond_with_json(
        {"id": "bps_test_1", "object": "billing_portal.session", "url": "https://billing.stripe.test/p/session/bps_test_1"}
    )
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    return httpserver


def test_the_page_shows_plan_usage_and_invoices(stripe_up, plans, customer_a, tenant_a, admin_a, public_client):
    post_event(public_client, make_event("invoice.paid", invoice(customer_a, status="paid", amount=1500)))
    page = admin_a.get("/staff/billing/").content.decode()
    assert "اشتراک و صورت‌حساب" in page
    assert "پایه" in page  # the trial plan
    assert "کارکنان" in page and "۱" in page and "۵" in page  # one admin of five seats
    assert "<td>درخواست در این ماه</td><td>۰</td><td>۵۰۰</td>" in page  # counted by intake, none yet
    assert "پرداخت‌شده" in page and "۱۵٫۰۰ یورو" in page and "EUR" not in page
    assert "استاندارد" in page  # a plan on offer


def test_checkout_against_localstripe_fails_gracefully(stripe_up, plans, customer_a, tenant_a, admin_a):
    response = admin_a.post("/staff/billing/checkout/", {"plan": "standard", "interval": "year"})
    page = response.content.decode()
    assert response.status_code == 503 and "اتصال به درگاه پرداخت Stripe برقرار نشد" in page
    # The billing page comes back with the admin's choice still made, not the defaults.
    assert re.search(r'<input type="radio" name="plan" value="standard"\s+checked', page)
    assert not re.search(r'<input type="radio" name="plan" value="basic"\s+checked', page)
    assert re.search(r'<option value="year" selected>', page)
    assert Tenant.objects.get(pk=tenant_a.pk).status == Tenant.Status.TRIAL


def test_checkout_sends_the_admin_to_stripe(stripe_up, plans, customer_a, tenant_a, admin_a, fake_stripe_sessions):
    response = admin_a.post("/staff/billing/checkout/", {"plan": "standard", "interval": "year"})
    assert response.status_code == 302 and response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"

    request, _response = fake_stripe_sessions.log[-1]
    sent = parse_qs(request.get_data(as_text=True))
    assert sent["customer"] == [customer_a]
    assert sent["mode"] == ["subscription"]
    assert sent["line_items[0][price]"] == [plans["standard"].stripe_price_yearly]
    assert sent["client_reference_id"] == ["t_alpha"]
    assert sent["success_url"] == ["http://alpha.localhost/staff/billing/?checkout=done"]
    # The trial's remaining days are kept: Stripe charges at its end.
    trial_end = Tenant.objects.get(pk=tenant_a.pk).trial_ends_at
    assert sent["subscription_data[trial_end]"] == [str(int(trial_end.timestamp()))]


def test_the_customer_portal(stripe_up, customer_a, admin_a, fake_stripe_sessions):
    response = admin_a.post("/staff/billing/portal/")
    assert response["Location"] == "https://billing.stripe.test/p/session/bps_test_1"
    sent = parse_qs(fake_stripe_sessions.log[-1][0].get_data(as_text=True))
    assert sent == {"customer": [customer_a], "return_url": ["http://alpha.localhost/staff/billing/"]}


def test_the_portal_against_localstripe_fails_gracefully(stripe_up, customer_a, admin_a):
    response = admin_a.post("/staff/billing/portal/", follow=True)
    assert "اتصال به درگاه مدیریت پرداخت Stripe برقرار نشد" in response.content.decode()


def test_paying_before_the_customer_exists_says_so(plans, stripe_down, admin_a):
    response = admin_a.post("/staff/billing/checkout/", {"plan": "basic", "interval": "month"}, follow=True)
    assert "هنوز در Stripe ساخته نشده" in response.content.decode()


def test_paying_creates_the_waiting_customer_at_once(stripe_up, plans, tenant_a, admin_a, fake_stripe_sessions):
    """The admin does not wait for the beat task: the recorded customer step runs now."""
    assert not BillingAccount.objects.get(tenant=tenant_a).stripe_customer_id
    fake_stripe_sessions.expect_request("/v1/customers", method="POST").respond_with_json({"id": "cus_test_new", "object": "customer"})
    response = admin_a.post("/staff/billing/checkout/", {"plan": "basic", "interval": "month"})
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    assert BillingAccount.objects.get(tenant=tenant_a).stripe_customer_id == "cus_test_new"
    assert parse_qs(fake_stripe_sessions.log[-1][0].get_data(as_text=True))["customer"] == ["cus_test_new"]


def test_a_suspended_tenant_can_still_pay(stripe_up, plans, customer_a, tenant_a, admin_a, fake_stripe_sessions, public_client):
    post_event(public_client, make_event("invoice.payment_failed", invoice(customer_a, status="open")))
    account = BillingAccount.objects.get(tenant=tenant_a)
    billing_overdue_apply(now=account.grace_ends_at + timedelta(seconds=1))
    assert Tenant.objects.get(pk=tenant_a.pk).status == Tenant.Status.SUSPENDED
    response = admin_a.post("/staff/billing/checkout/", {"plan": "basic", "interval": "month"})
    assert response["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"


def test_subscribing_through_checkout_with_a_subscription_made_in_localstripe(
    stripe_up, plans, customer_a, tenant_a, admin_a, public_client
):
    """What Checkout does at Stripe (card, subscription, first invoice) is done here against
    localstripe; the events Stripe would then send carry localstripe's real objects."""
    method = stripe_up.v1.payment_methods.create(params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
    stripe_up.v1.payment_methods.attach(method.id, params={"customer": customer_a})
    stripe_up.v1.customers.update(customer_a, params={"invoice_settings": {"default_payment_method": method.id}})
    subscription = stripe_up.v1.subscriptions.create(
        params={"customer": customer_a, "items": [{"plan": plans["standard"].stripe_price_monthly}], "metadata": {"tenant": "alpha"}}
    )
    assert subscription.status == "active"
    paid_invoice = stripe_up.v1.invoices.retrieve(subscription.latest_invoice)
    assert paid_invoice.status == "paid"

    now = int(time.time())
    session = {"id": "cs_test_2", "object": "checkout.session", "customer": customer_a, "subscription": subscription.id,
               "payment_status": "paid", "client_reference_id": "t_alpha",
               "metadata": {"tenant": "alpha", "plan": "standard", "interval": "month"}}
    for type_, obj, created in (
        ("checkout.session.completed", session, now - 2),
        ("customer.subscription.created", subscription.to_dict(), now - 1),
        ("invoice.paid", paid_invoice.to_dict(), now),
    ):
        assert post_event(public_client, make_event(type_, obj, created=created)).status_code == 200

    account = BillingAccount.objects.get(tenant=tenant_a)
    assert account.stripe_subscription_id == subscription.id
    assert account.plan.code == "standard" and account.interval == "month" and account.subscription_status == "active"
    assert account.current_period_end is not None
    assert Tenant.objects.get(pk=tenant_a.pk).status == Tenant.Status.ACTIVE
    page = admin_a.get("/staff/billing/").content.decode()
    assert "استاندارد" in page and "۲۵" in page and "فعال" in page
    assert paid_invoice.id in page or (paid_invoice.number or "") in page
