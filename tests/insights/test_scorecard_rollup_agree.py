"""The scorecard (one period, in the tenant) and the rollup (per month, for /insights/) count
the ten capabilities alike: for each month the rollup holds, the scorecard of that month gives
the same numerators and denominators."""

from datetime import date

from django_tenants.utils import schema_context

from insights.periods import month_period
from insights.rollup import recent_months, tenant_months_compute
from insights.scorecard import capability_counts


def test_the_scorecard_and_the_rollup_give_the_same_counts(known, tenant_a):
    from intake.models import AnswerLetter, RequestEvent, RequestMessage

    with schema_context(tenant_a.schema_name):
        # Something for every capability: visible and internal stages, a letter, asked and answered.
        RequestEvent.objects.create(request=known.r1, kind="moved", title="بررسی")
        RequestEvent.objects.create(request=known.r2, kind="assigned", title="واگذاری", visible_to_citizen=False)
        AnswerLetter.objects.create(request=known.r2, year=1402, sequence=1, number="1402-1", issued_on=date(2024, 2, 27),
                                    applicant_name="مریم احمدی", national_code="0084575948", outcome="granted",
                                    legal_basis="ماده ۱", content="پذیرفته شد", content_hash="0" * 64, issued_by="test")
        RequestMessage.objects.create(request=known.r3, sender="staff", text="مدرک بفرستید")
        RequestMessage.objects.create(request=known.r3, sender="citizen", text="فرستادم")
        RequestMessage.objects.create(request=known.r4, sender="staff", text="مدرک بفرستید")
        today = date(2024, 4, 1)
        months = tenant_months_compute(span=recent_months(3, today=today), today=today)
        assert sorted(row["month"] for row in months) == [140211, 140212, 140301]
        for row in months:
            year, month = divmod(row["month"], 100)
            scorecard = capability_counts(period=month_period(year, month))
            assert row["capabilities"] == {str(number): list(counts) for number, counts in scorecard.items()}
        esfand = next(row for row in months if row["month"] == 140212)
        assert esfand["capabilities"]["6"] == [1, 3] and esfand["capabilities"]["7"] == [1, 2]
