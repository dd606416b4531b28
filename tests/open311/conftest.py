"""Open311's fixtures: alpha's demo catalogue with an API key issued by its admin, and a
request submitted through the wizard's services."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from open311.keys import api_key_issue
from tests.builders import NATIONAL_CODE, MOBILE, SERVICE, request_submitted_make


@pytest.fixture
def key_a(alpha_catalog):
    """(row, key) of an active key of alpha named «شهر من», 5 requests a minute."""
    with schema_context(alpha_catalog.schema_name):
        issued = api_key_issue(name="شهر من", per_minute=5, actor="admin@alpha.test")
    return issued.row, issued.key


@pytest.fixture
def key_b(tenant_b):
    with schema_context(tenant_b.schema_name):
        issued = api_key_issue(name="شهر من", per_minute=5, actor="admin@beta.test")
    return issued.row, issued.key


@pytest.fixture
def submitted(alpha_catalog):
    """A request of alpha for the building permit, submitted through the wizard's services."""
    return request_submitted_make()


@pytest.fixture
def open311_post():
    """The form a GeoReport v2 client posts for the demo building permit (api_key aside)."""

    def build(**overrides) -> dict:
        data = {
            "service_code": SERVICE, "description": "درخواست صدور پروانه برای پلاک ۱۲", "first_name": "مریم",
            "last_name": "احمدی", "phone": MOBILE, "email": "maryam@example.com",
            "attribute[national_code]": NATIONAL_CODE,
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
