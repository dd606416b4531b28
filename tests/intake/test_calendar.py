"""The promised answer date counts working days: no Fridays, official holidays or closures."""

from datetime import date

from django_tenants.utils import schema_context

from intake.calendar import working_days_add, working_days_between
from intake.models import ClosureDay, DeskSettings


def test_promised_date_across_nowruz():
    # Wednesday 1405/12/26: Thursday off, Friday, 29 Esfand (oil day) and Nowruz 1-4 Farvardin are closed.
    assert working_days_add(date(2027, 3, 17), 3, thursday_is_working=False) == date(2027, 3, 29)


def test_thursday_counts_when_the_tenant_works_on_thursdays():
    wednesday = date(2026, 11, 25)
    assert working_days_add(wednesday, 1, thursday_is_working=False) == date(2026, 11, 28)  # Saturday
    assert working_days_add(wednesday, 1, thursday_is_working=True) == date(2026, 11, 26)  # Thursday


def test_a_closure_day_is_skipped():
    saturday = date(2026, 11, 28)
    closures = frozenset({date(2026, 11, 29)})
    assert working_days_add(saturday, 1, thursday_is_working=False, closures=closures) == date(2026, 11, 30)


def test_an_instant_service_answers_on_the_first_working_day():
    friday = date(2026, 11, 27)
    assert working_days_add(friday, 0, thursday_is_working=False) == date(2026, 11, 28)


def test_working_days_between():
    assert working_days_between(date(2027, 3, 17), date(2027, 3, 29), thursday_is_working=False) == 3


def test_tenant_settings_feed_the_promised_date(alpha_catalog, tenant_a):
    from catalog.models import Service
    from intake.calendar import promised_date_for

    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901010300")  # 5 working days
        DeskSettings.objects.create(thursday_is_working=True)
        ClosureDay.objects.create(date=date(2026, 11, 28), reason="تعطیلی محلی")
        # Wed 25 Nov: Thu 26 (works), Fri 27, Sat 28 (closed), Sun 29, Mon 30, Tue 1 Dec, Wed 2 Dec.
        assert promised_date_for(service=service, submitted_on=date(2026, 11, 25)) == date(2026, 12, 2)
