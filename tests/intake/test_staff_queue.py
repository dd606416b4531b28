"""The queue: filters, search by tracking code, national ID or name, and the colour of time left."""

import jdatetime
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from tests.builders import demo_units, request_submitted_make, user_make
from tests.clients import staff_client


@pytest.fixture
def admin_client(alpha_catalog):
    return staff_client(user_make(role=User.Role.TENANT_ADMIN, email="boss@alpha.test"))


def _shown(page, service_request):
    return to_persian_digits(service_request.tracking_code) in page


def test_search_by_code_national_id_and_name(admin_client):
    hq, district_1, _ = demo_units()
    maryam = request_submitted_make(unit=hq)
    ali = request_submitted_make(unit=district_1, first_name="علی", last_name="کریمی", national_code="0499370899")
    for query in (ali.tracking_code, to_persian_digits("0499370899"), "کریمی", "علی کریمی"):
        page = admin_client.get("/staff/requests/", {"q": query}).content.decode()
        assert _shown(page, ali) and not _shown(page, maryam), query


def test_filters_unit_channel_late_and_jalali_dates(admin_client):
    hq, district_1, _ = demo_units()
    online = request_submitted_make(unit=hq)
    walkin = request_submitted_make(unit=district_1, channel="in_person", assisted_by="desk@alpha.test")
    old = request_submitted_make(unit=hq)
    with schema_context("t_alpha"):
        long_ago = timezone.now() - timezone.timedelta(days=40)
        ServiceRequest.objects.filter(pk=old.pk).update(submitted_at=long_ago, promised_date=long_ago.date())
    page = admin_client.get("/staff/requests/", {"unit": district_1.pk}).content.decode()
    assert _shown(page, walkin) and not _shown(page, online)
    page = admin_client.get("/staff/requests/", {"channel": "in_person"}).content.decode()
    assert _shown(page, walkin) and not _shown(page, old)
    page = admin_client.get("/staff/requests/", {"late": "1"}).content.decode()
    assert _shown(page, old) and not _shown(page, online) and "دیرکرد" in page
    today = jdatetime.date.today()
    page = admin_client.get("/staff/requests/", {"from": to_persian_digits(today.strftime("%Y/%m/%d"))}).content.decode()
    assert _shown(page, online) and not _shown(page, old)
    week_ago = jdatetime.date.fromgregorian(date=(timezone.now() - timezone.timedelta(days=50)).date())
    page = admin_client.get("/staff/requests/", {"from": week_ago.strftime("%Y/%m/%d"), "to": week_ago.strftime("%Y/%m/%d")}).content.decode()
    assert not _shown(page, online) and not _shown(page, old)


def test_time_left_has_a_colour(admin_client):
    hq, _, _ = demo_units()
    fresh = request_submitted_make(unit=hq)
    soon = request_submitted_make(unit=hq)
    with schema_context("t_alpha"):
        ServiceRequest.objects.filter(pk=soon.pk).update(promised_date=timezone.localdate() + timezone.timedelta(days=1))
        ServiceRequest.objects.filter(pk=fresh.pk).update(promised_date=timezone.localdate() + timezone.timedelta(days=9))
    page = admin_client.get("/staff/requests/").content.decode()
    assert "left left-soon" in page and "left left-ok" in page
    assert "۱ روز مانده (نزدیک)" in page and "۹ روز مانده" in page


def test_a_bad_date_is_told_at_its_field_and_kept(admin_client):
    request_submitted_make(unit=demo_units()[0])
    page = admin_client.get("/staff/requests/", {"from": "۱۴۰۳/۱۳/۰۱", "to": "دیروز"}).content.decode()
    assert "«۱۴۰۳/۱۳/۰۱» تاریخ خورشیدی درستی نیست و در پالایش به کار نرفت" in page
    assert "«دیروز» تاریخ خورشیدی درستی نیست" in page
    assert 'value="۱۴۰۳/۱۳/۰۱"' in page and 'value="دیروز"' in page and 'aria-describedby="f-from-error"' in page
    page = admin_client.get("/staff/requests/", {"from": "1403/05/10", "to": "1403/05/01"}).content.decode()
    assert "«تا تاریخ» پیش از «از تاریخ» است" in page
    page = admin_client.get("/staff/requests/", {"from": "1403/05/01", "to": "1403/05/10"}).content.decode()
    assert "errorlist" not in page
