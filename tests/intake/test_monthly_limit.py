"""The plan's requests per month (billing's limit), counted by intake over the Jalali month and
enforced at the final submit on every channel, with a Persian message and nothing saved."""

from __future__ import annotations

import datetime
import uuid

import jdatetime
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingAccount, Plan
from billing.selectors import tenant_billing
from intake.models import Attachment, ServiceRequest
from tests.builders import request_api_post, request_files
from tests.clients import api_submit

FULL = "ظرفیت ثبت درخواست این ماه در سامانه این دستگاه پر شده است"


def _ceiling(tenant, requests_per_month):
    Plan.objects.filter(code="basic").update(requests_per_month=requests_per_month)  # alpha's trial plan
    BillingAccount.objects.filter(tenant=tenant).update(plan=None)


def _month_start():
    first = jdatetime.date.fromgregorian(date=timezone.localdate()).replace(day=1).togregorian()
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def test_the_submit_past_the_ceiling_is_refused_and_saves_nothing(alpha_catalog, client_a):
    _ceiling(alpha_catalog, 2)
    for _ in range(2):
        assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
    refused = api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files()))
    assert refused.status_code == 400
    assert FULL in refused.json()["non_field_errors"][0]
    with schema_context(alpha_catalog.schema_name):
        assert ServiceRequest.objects.count() == 2 and Attachment.objects.count() == 4
    # The admins see it on the billing page.
    assert tenant_billing(tenant=alpha_catalog).usage["requests_per_month"].used == 2


def test_the_wizard_says_so_on_its_last_step(wizard, alpha_catalog):
    _ceiling(alpha_catalog, 0)
    response = wizard.start().fill().submit()
    assert response.status_code == 302 and response.url.endswith("/6/")
    assert FULL in wizard.client.get(response.url).content.decode()
    with schema_context(alpha_catalog.schema_name):
        assert not ServiceRequest.objects.exists()


def test_last_months_requests_do_not_count_and_a_bigger_plan_has_room(alpha_catalog, client_a):
    _ceiling(alpha_catalog, 1)
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
    with schema_context(alpha_catalog.schema_name):
        ServiceRequest.objects.update(submitted_at=_month_start() - datetime.timedelta(minutes=1))  # the last minute of last month
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 400

    BillingAccount.objects.filter(tenant=alpha_catalog).update(plan=Plan.objects.get(code="plus"))  # no ceiling
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201


def test_a_retry_of_an_accepted_request_is_not_refused(alpha_catalog, client_a):
    _ceiling(alpha_catalog, 1)
    key = str(uuid.uuid4())
    first = api_submit(client_a, key, **request_api_post(files=request_files()))
    again = api_submit(client_a, key, **request_api_post(files=request_files()))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]


def test_a_kept_ceiling_follows_a_plan_change_and_a_new_subscription(alpha_catalog, client_a, settings):
    """Each web process keeps the tenant's ceiling (every submit asks); the vendor's edit of a
    plan and the tenant's change of plan count from the next submit."""
    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60
    _ceiling(alpha_catalog, 1)
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 400  # kept now
    trial = Plan.objects.get(code="basic")
    trial.requests_per_month = 2
    trial.save()  # the vendor raises the trial plan's ceiling
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 400
    account = BillingAccount.objects.get(tenant=alpha_catalog)
    account.plan = Plan.objects.create(code="unlimited-test", name="بی‌سقف", requests_per_month=None)
    account.save()  # the tenant subscribes to a plan without a ceiling
    assert api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files())).status_code == 201
