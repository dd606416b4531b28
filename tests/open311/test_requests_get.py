"""GET /open311/v2/requests.{json,xml}: requests by tracking code, service, dates and status;
the last 90 days by default; never the applicant's data or the request's text."""

from __future__ import annotations

import datetime
import uuid

from defusedxml import ElementTree
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog.models import Service
from intake.models import ServiceRequest
from tests.builders import MOBILE, NATIONAL_CODE, SERVICE, demo_units, request_make

PERSONAL = (NATIONAL_CODE, MOBILE, "مریم", "احمدی", "تهران، خیابان آزادی", "maryam@example.com", "پلاک ۱۲")


def test_a_request_in_json_without_personal_data(submitted, client_a):
    response = client_a.get("/open311/v2/requests.json")
    assert response.status_code == 200
    [row] = response.json()
    assert row["service_request_id"] == submitted.tracking_code and row["service_code"] == SERVICE
    assert row["status"] == "open" and row["status_notes"] == "ثبت‌شده — مرحله: بررسی مدارک"
    assert row["requested_datetime"].endswith("+03:30") and row["expected_datetime"].startswith(submitted.promised_date.isoformat())
    assert row["agency_responsible"] == submitted.unit.name
    assert not any(word in response.content.decode() for word in PERSONAL)


def test_requests_in_xml(submitted, client_a):
    response = client_a.get("/open311/v2/requests.xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == submitted.tracking_code
    assert root.findtext("request/status") == "open"
    assert not any(word in response.content.decode() for word in PERSONAL)


def _dated(days_ago: int, *, answered=False):
    hq, _, _ = demo_units()
    with schema_context("t_alpha"):
        service = Service.objects.get(national_id=SERVICE)
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return request_make(service=service, unit=hq, submitted=day, promised=day + datetime.timedelta(days=10),
                        answered=day if answered else None)


def _codes(client, **params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in response.json()]


def test_the_last_90_days_by_default_and_dates_and_status_filter(alpha_catalog, client_a):
    recent, answered, old = _dated(3), _dated(5, answered=True), _dated(120)
    assert _codes(client_a) == [recent.tracking_code, answered.tracking_code]
    assert _codes(client_a, status="closed") == [answered.tracking_code]
    assert _codes(client_a, status="open") == [recent.tracking_code]
    assert _codes(client_a, status="open,closed") == [recent.tracking_code, answered.tracking_code]
    start = (timezone.localdate() - datetime.timedelta(days=200)).isoformat() + "T00:00:00+03:30"
    end = (timezone.localdate() - datetime.timedelta(days=100)).isoformat() + "T00:00:00+03:30"
    assert _codes(client_a, start_date=start, end_date=end) == [old.tracking_code]
    assert _codes(client_a, service_code="10101010101") == []
    assert _codes(client_a, service_code=SERVICE) == [recent.tracking_code, answered.tracking_code]
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.get(pk=answered.pk).status == "answered"


def test_ids_alone_decide_when_given(alpha_catalog, client_a):
    recent, old = _dated(3), _dated(120)
    assert _codes(client_a, service_request_id=f"{old.tracking_code},{recent.tracking_code}", status="closed") == \
        [recent.tracking_code, old.tracking_code]


def test_at_most_1000(alpha_catalog, client_a):
    first = _dated(1)
    with schema_context("t_alpha"):
        fields = {f.attname: getattr(first, f.attname) for f in ServiceRequest._meta.concrete_fields if f.attname != "id"}
        ServiceRequest.objects.bulk_create([
            ServiceRequest(**{**fields, "tracking_code": f"9{n:015d}", "wizard_token": uuid.uuid4()}) for n in range(1000)
        ])
    assert len(_codes(client_a)) == 1000


def test_bad_filters_are_400_in_the_specs_format(alpha_catalog, client_a):
    bad_date = client_a.get("/open311/v2/requests.json", {"start_date": "دیروز"})
    assert bad_date.status_code == 400 and bad_date.json()[0]["error_code"] == "date_invalid"
    for odd in ("2002-05-11T20:59:09+17:08", "0294-10-22T06:29:12+03:30", "2026-02-30T00:00:00+03:30"):
        assert client_a.get("/open311/v2/requests.json", {"end_date": odd}).status_code == 400
    bad_status = client_a.get("/open311/v2/requests.xml", {"status": "pending"})
    assert bad_status.status_code == 400 and ElementTree.fromstring(bad_status.content).findtext("error/code") == "400"


def test_another_tenant_never_lists_alphas_requests(submitted, client_b):
    assert client_b.get("/open311/v2/requests.json").json() == []
    assert client_b.get("/open311/v2/requests.json", {"service_request_id": submitted.tracking_code}).json() == []


def test_a_wrong_jurisdiction_is_refused(submitted, client_a):
    response = client_a.get("/open311/v2/requests.json", {"jurisdiction_id": "beta.localhost"})
    assert response.status_code == 404 and submitted.tracking_code not in response.content.decode()
