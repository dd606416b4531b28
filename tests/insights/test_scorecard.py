"""The ten capabilities over the known Esfand 1402 requests (tests/insights/conftest.py).

Services: s1 and s2 published, s1 alone takes online requests, neither card is complete.
Requests accepted: 5 (online r1, r3, r5); answered 3 (r1 late; r2, r3 on time), all 3 surveyed,
no answer letters; r1 has a visible stage, r2 only an internal one; the desk asked r3 (who
answered) and r4 (who did not).
  1: 1/2 = 50   2: 3/5 = 60   3: 5/5 = 100   4: 5/5 = 100   5: 1/5 = 20
  6: 0/3 = 0    7: 1/2 = 50   8: 0/2 = 0     9: 3/3 = 100  10: 2/3 = 66.7
Total: (50 + 60 + 100 + 100 + 20 + 0 + 50 + 0 + 100 + 66.7) / 10 = 54.67 → 54.7
"""

from django_tenants.utils import schema_context

from insights.periods import month_period
from insights.scorecard import scorecard_compute


def test_the_ten_capabilities(known, tenant_a):
    from intake.models import RequestEvent, RequestMessage

    with schema_context(tenant_a.schema_name):
        RequestEvent.objects.create(request=known.r1, kind="moved", title="بررسی")
        RequestEvent.objects.create(request=known.r2, kind="assigned", title="واگذاری", visible_to_citizen=False)
        RequestMessage.objects.create(request=known.r3, sender="staff", text="مدرک بفرستید")
        RequestMessage.objects.create(request=known.r3, sender="citizen", text="فرستادم")
        RequestMessage.objects.create(request=known.r4, sender="staff", text="مدرک بفرستید")
        card = scorecard_compute(period=month_period(1402, 12))
    shares = {c.number: c.share for c in card["capabilities"]}
    assert shares == {1: 50.0, 2: 60.0, 3: 100.0, 4: 100.0, 5: 20.0, 6: 0.0, 7: 50.0, 8: 0.0, 9: 100.0, 10: 66.7}
    assert card["total"] == 54.7
    assert all(c.formula for c in card["capabilities"])


def test_a_period_without_requests_has_no_data(known, tenant_a):
    with schema_context(tenant_a.schema_name):
        card = scorecard_compute(period=month_period(1401, 1))
    shares = {c.number: c.share for c in card["capabilities"]}
    assert shares[2] is None and shares[10] is None and shares[1] == 50.0
