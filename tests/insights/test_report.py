"""The tenant report over a known set of requests, every figure worked out by hand.

Esfand 1402 = 2024-02-20 … 2024-03-19. Working days are Saturday to Wednesday; the holidays
package gives 2024-02-25 (birthday of the Mahdi), 2024-03-19 (oil nationalisation) and Nowruz
2024-03-20 … 03-23.

  r1 hq  s1 online     16 Mar (Sat) → 24 Mar (Sun): 8 calendar days; working: 17, 18 (19–23 shut), 24 → 3; promised 18 Mar: late
  r2 hq  s1 in person  24 Feb (Sat) → 27 Feb (Tue): 3; working 26, 27 (25 shut) → 2; 1 day waiting on the citizen; on time
  r3 dis s2 online     25 Feb (Sun) →  3 Mar (Sun): 7; working 26, 27, 28, 2 Mar, 3 Mar → 5; inquiry 26 → 28 Feb: 2; on time
  r4 dis s2 assisted   11 Mar, open, promised 13 Mar: late
  r5 dis s2 online     12 Mar, open, promised 2099: not late
Answered calendar days [3, 7, 8]: mean 6, median 7, p90 = 7 + 0.8 × (8 − 7) = 7.8.
Working days [3, 2, 5]: mean 10/3 = 3.33, median 3, p90 = 3 + 0.8 × (5 − 3) = 4.6.
Citizen (0, 1, 0) mean 0.33; other bodies (0, 0, 2) mean 0.67; the desk (3, 1, 3) mean 2.33.
"""

from datetime import date

import holidays
from django_tenants.utils import schema_context

from insights.periods import month_period
from insights.reports import report_figures

ESFAND = month_period(1402, 12)


def test_the_period_is_esfand_1402():
    assert (ESFAND.start, ESFAND.end) == (date(2024, 2, 20), date(2024, 3, 20))
    assert ESFAND.previous() == month_period(1402, 11)
    official = holidays.country_holidays("IR", years=[2024])
    assert all(day in official for day in (date(2024, 2, 25), *(date(2024, 3, d) for d in (19, 20, 21, 22, 23))))
    assert not any(date(2024, 3, d) in official for d in (16, 17, 18, 24))


def test_counts_and_times(known, tenant_a):
    with schema_context(tenant_a.schema_name):
        report = report_figures(period=ESFAND, today=date(2024, 4, 1))
    t = report.total
    assert (t["accepted"], t["answered"], t["open"], t["late"], t["on_time"]) == (5, 3, 2, 2, 2)
    assert (t["mean_days"], t["median_days"], t["p90_days"]) == (6.0, 7.0, 7.8)
    assert (t["mean_work"], t["median_work"], t["p90_work"]) == (3.33, 3.0, 4.6)
    assert (t["citizen_work"], t["bodies_work"], t["desk_work"]) == (0.33, 0.67, 2.33)
    # Bahman: r0 alone, one day.
    assert (report.previous["accepted"], report.previous["answered"], report.previous["mean_days"]) == (1, 1, 1.0)


def test_breakdowns(known, tenant_a):
    with schema_context(tenant_a.schema_name):
        report = report_figures(period=ESFAND, today=date(2024, 4, 1))
    kinds = {row["key"]: row for row in report.by["unit_kind"]}
    assert (kinds["headquarters"]["accepted"], kinds["headquarters"]["mean_days"]) == (2, 5.5)
    assert (kinds["district"]["accepted"], kinds["district"]["answered"], kinds["district"]["mean_work"]) == (3, 1, 5.0)
    channels = {row["key"]: row["accepted"] for row in report.by["channel"]}
    assert channels == {"online": 3, "in_person": 1, "assisted": 1}
    services = {row["key"]: (row["accepted"], row["median_work"]) for row in report.by["service_id"]}
    assert services == {known.s1.pk: (2, 2.5), known.s2.pk: (3, 5.0)}
    assert [(row["key"], row["accepted"]) for row in report.by["month"]] == [(140212, 5)]


def test_survey_scores(known, tenant_a):
    with schema_context(tenant_a.schema_name):
        report = report_figures(period=ESFAND, today=date(2024, 4, 1))
    assert [(a["axis"], a["mean"], a["count"]) for a in report.survey_axes] == [("شفافیت فرایندی", 4.0, 3), ("کلیت فرایند", 3.0, 3)]
    services = {row["service_id"]: row for row in report.survey_services}
    # s1: (4 + 2) / 2 = 3 and (5 + 4) / 2 = 4.5 → 3.75; s2: 3.
    assert services[known.s1.pk]["axes"] == {"شفافیت فرایندی": 4.5, "کلیت فرایند": 3.0}
    assert (services[known.s1.pk]["count"], services[known.s1.pk]["mean"]) == (2, 3.75)
    assert (services[known.s2.pk]["count"], services[known.s2.pk]["mean"]) == (1, 3.0)
    assert (report.total["surveys"], report.total["survey_mean"]) == (3, 3.5)


def test_a_unit_filter_keeps_the_district_only(known, tenant_a):
    with schema_context(tenant_a.schema_name):
        report = report_figures(period=ESFAND, units=[known.district.pk], today=date(2024, 4, 1))
    assert (report.total["accepted"], report.total["answered"], report.total["mean_days"]) == (3, 1, 7.0)
    assert report.total["surveys"] == 1
