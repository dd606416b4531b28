"""The plan's limits: staff seats enforced when staff are invited; requests per month
exposed for intake, which counts them."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import staff_invite
from billing.models import BillingAccount, Plan
from billing.selectors import limit_allows, limit_for
from billing.usage import REQUESTS_PER_MONTH, STAFF_SEATS, usage_count, usage_counter_register


def _invite(tenant, email):
    staff_invite(email=email, role=User.Role.CLERK, host=tenant.subdomain, organisation=tenant.name, urlconf="mizban.urls_tenant")


def test_staff_seats_are_enforced_when_staff_are_invited(tenant_a):
    Plan.objects.filter(code="basic").update(staff_seats=2)  # the trial plan: the admin plus one
    with schema_context(tenant_a.schema_name):
        _invite(tenant_a, "clerk1@alpha.test")
        with pytest.raises(ValidationError) as refused:
            _invite(tenant_a, "clerk2@alpha.test")
        assert "سقف کارکنان" in refused.value.messages[0]
        assert not User.objects.filter(email="clerk2@alpha.test").exists()
    assert usage_count(tenant=tenant_a, limit=STAFF_SEATS) == 2


def test_a_bigger_plan_makes_room(tenant_a):
    Plan.objects.filter(code="basic").update(staff_seats=1)
    BillingAccount.objects.filter(tenant=tenant_a).update(plan=Plan.objects.get(code="plus"))  # no limits
    with schema_context(tenant_a.schema_name):
        _invite(tenant_a, "clerk1@alpha.test")
        assert User.objects.filter(email="clerk1@alpha.test").exists()


def test_requests_per_month_for_intake(tenant_a):
    assert limit_for(tenant=tenant_a, limit=REQUESTS_PER_MONTH) == 500  # the trial plan
    assert limit_allows(tenant=tenant_a, limit=REQUESTS_PER_MONTH, used=499)
    assert not limit_allows(tenant=tenant_a, limit=REQUESTS_PER_MONTH, used=500)
    assert usage_count(tenant=tenant_a, limit=REQUESTS_PER_MONTH) == 0  # intake counts them (tests/intake/test_monthly_limit.py)
    with pytest.raises(ValueError):
        usage_counter_register(limit="pages", counter=lambda tenant: 0)
