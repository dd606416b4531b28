"""Billing in the vendor console: each tenant's plan, status and last payment; the plans."""

import re

from billing.models import Plan
from tests.stripe_events import invoice, make_event, post_event


def test_the_overview_lists_each_tenants_plan_status_and_last_payment(stripe_up, customer_a, vendor_client):
    post_event(vendor_client, make_event("invoice.paid", invoice(customer_a, status="paid", amount=4500)))
    page = vendor_client.get("/console/billing/").content.decode()
    assert "صورت‌حساب مشترکان" in page
    alpha_row = next(row for row in page.split("<tr>") if "شهرداری آلفا" in row)
    assert "فعال" in alpha_row and "پایه" in alpha_row and "۴۵٫۰۰ یورو" in alpha_row and "EUR" not in alpha_row
    beta_row = next(row for row in page.split("<tr>") if "دهیاری بتا" in row and "console/tenants/beta" in row)
    assert "دوره آزمایشی" in beta_row
    # Beta's customer was never created (no Stripe key at onboarding): the step is listed.
    steps = page.split("<table>")[1]
    assert "دهیاری بتا" in steps and "در انتظار" in steps and "ساخت مشتری در Stripe" in steps
    assert 'href="/console/billing/"' in page  # the console's navigation


def test_the_vendor_edits_a_plan(vendor_client):
    plan = Plan.objects.get(code="standard")
    form = vendor_client.get(f"/console/billing/plans/{plan.pk}/").content.decode()
    assert "شناسه قیمت ماهانه در Stripe" in form
    response = vendor_client.post(f"/console/billing/plans/{plan.pk}/", {
        "code": "standard", "name": "استاندارد", "stripe_price_monthly": "price_std_m", "stripe_price_yearly": "price_std_y",
        "monthly_amount": 4900, "yearly_amount": 49000, "currency": "eur", "staff_seats": 30, "requests_per_month": "",
        "is_active": "on", "sort_order": 2,
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.stripe_price_monthly, plan.staff_seats, plan.requests_per_month) == ("price_std_m", 30, None)
    listing = vendor_client.get("/console/billing/plans/").content.decode()
    assert "price_std_m" in listing and "۳۰" in listing


def test_making_another_plan_the_trial_plan(vendor_client):
    plan = Plan.objects.get(code="plus")
    vendor_client.post(f"/console/billing/plans/{plan.pk}/", {
        "code": "plus", "name": "پیشرفته", "monthly_amount": 0, "yearly_amount": 0, "currency": "eur",
        "is_active": "on", "trial_default": "on", "sort_order": 3,
    })
    assert list(Plan.objects.filter(is_trial_default=True).values_list("code", flat=True)) == ["plus"]


def test_a_bad_plan_is_refused_in_persian(vendor_client):
    response = vendor_client.post("/console/billing/plans/new/", {"code": "basic", "name": "", "currency": "eur", "monthly_amount": -1})
    assert response.status_code == 200
    assert Plan.objects.filter(code="basic").count() == 1
    errors = response.context["form"].errors
    assert {"code", "name", "monthly_amount"} <= set(errors)
    assert all(re.search(r"[\u0600-\u06FF]", messages[0]) for messages in errors.values())
    assert errors["name"][0] in response.content.decode()
