"""The scorecard (one period, in the tenant) and the rollup (per month, for /insights/) count
the ten capabilities alike: for each month the rollup holds, the scorecard of that month gives
the same numerators and denominators."""

from datetime import date

from django_tenants.utils import schema_context

from intake.models import AnswerLetter
from insights.periods import month_period
from insights.rollup import recent_months, tenant_months_compute
from insights.scorecard import capability_counts
from tests.builders import request_event_make, request_message_make


def test_the_scorecard_and_the_rollup_give_the_same_counts(known, tenant_a):
    # Something for every capability: visible and internal stages, a letter, asked and answered.
    schema = tenant_a.schema_name
    request_event_make(service_request=known.r1, kind="moved", data={"stage": "بررسی"}, schema=schema)
    request_event_make(service_request=known.r2, kind="assigned", visible_to_citizen=False, schema=schema)
    request_message_make(service_request=known.r3, sender="staff", text="مدرک بفرستید", schema=schema)
    request_message_make(service_request=known.r3, sender="citizen", text="فرستادم", schema=schema)
    request_message_make(service_request=known.r4, sender="staff", text="مدرک بفرستید", schema=schema)
    with schema_context(schema):
        AnswerLetter.objects.create(request=known.r2, year=1402, sequence=1, number="1402-1", issued_on=date(2024, 2, 27),
                                    applicant_name="مریم احمدی", national_code="0084575948", outcome="granted",
                                    legal_basis="ماده ۱", content="پذیرفته شد", content_hash="0" * 64, issued_by="test")
        today = date(2024, 4, 1)
        months = tenant_months_compute(span=recent_months(3, today=today), today=today)
        assert sorted(row["month"] for row in months) == [140211, 140212, 140301]
        for row in months:
            year, month = divmod(row["month"], 100)
            scorecard = capability_counts(period=month_period(year, month))
            assert row["capabilities"] == {str(number): list(counts) for number, counts in scorecard.items()}
        esfand = next(row for row in months if row["month"] == 140212)
        assert esfand["capabilities"]["6"] == [1, 3] and esfand["capabilities"]["7"] == [1, 2]
