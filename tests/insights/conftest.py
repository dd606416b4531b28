"""A tenant filled with a known set of requests, made directly as rows with chosen dates."""

from __future__ import annotations

from datetime import date

import pytest
from django_tenants.utils import schema_context

from catalog.models import Unit
from tests.builders import inquiry_make, request_make, service_card_make, survey_make, unit_make


class Known:
    """Esfand 1402 (2024-02-20 … 2024-03-19) in tenant alpha, worked out in tests/insights/test_report.py."""


@pytest.fixture
def known(tenant_a):
    k = Known()
    with schema_context(tenant_a.schema_name):
        k.hq = unit_make(name="ستاد آزمون", kind=Unit.Kind.HEADQUARTERS)
        k.district = unit_make(name="منطقه آزمون", kind=Unit.Kind.DISTRICT, parent=k.hq)
        k.s1 = service_card_make(national_id="19900000001", title="خدمت یکم", online_request=True)
        k.s2 = service_card_make(national_id="19900000002", title="خدمت دوم", online_request=False)
        # Bahman 1402: the previous month.
        k.r0 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 2, 10), answered=date(2024, 2, 11), promised=date(2024, 2, 12))
        # Esfand 1402.
        k.r1 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 3, 16), answered=date(2024, 3, 24), promised=date(2024, 3, 18))
        k.r2 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 2, 24), answered=date(2024, 2, 27), promised=date(2024, 2, 28), channel="in_person", paused_days=1)
        k.r3 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 2, 25), answered=date(2024, 3, 3), promised=date(2024, 3, 5))
        inquiry_make(service_request=k.r3, body="اداره ثبت", sent_on=date(2024, 2, 26), due_on=date(2024, 3, 2), replied_on=date(2024, 2, 28))
        k.r4 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 3, 11), promised=date(2024, 3, 13), channel="assisted")
        k.r5 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 3, 12), promised=date(2099, 1, 1))
        # Farvardin 1403: outside the period.
        k.r6 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 3, 25), promised=date(2024, 3, 30))
        survey_make(service_request=k.r1, scores={"شفافیت فرایندی": 4, "کلیت فرایند": 2})
        survey_make(service_request=k.r2, scores={"شفافیت فرایندی": 5, "کلیت فرایند": 4})
        survey_make(service_request=k.r3, scores={"شفافیت فرایندی": 3, "کلیت فرایند": 3})
    return k
