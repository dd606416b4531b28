"""POST /open311/v2/requests.{json,xml}: a request from an Open311 client, through the
wizard's own rules and submit; the key's name is its channel; every refusal in the spec's
format, with nothing saved."""

from __future__ import annotations

from defusedxml import ElementTree
from django_tenants.utils import schema_context

from billing.models import BillingAccount, Plan
from intake.models import RequestEvent, ServiceRequest, WizardDraft
from open311.keys import api_key_revoke
from catalog.models import Service
from payments.services import gateway_save
from tests.builders import MOBILE, NATIONAL_CODE, SERVICE, demo_units
from tests.payment_gateways import ZARINPAL_MERCHANT


def _requests(schema="t_alpha"):
    with schema_context(schema):
        return list(ServiceRequest.objects.order_by("id"))


def _refused(response, status, error_code):
    assert response.status_code == status, response.content
    codes = [row["error_code"] for row in response.json()]
    assert error_code in codes and {row["code"] for row in response.json()} == {status}
    return response.json()


def test_a_request_is_registered_with_the_keys_name_as_channel(key_a, open311_post, client_a):
    row, key = key_a
    _, district_1, _ = demo_units()
    response = client_a.post("/open311/v2/requests.json", open311_post(
        api_key=key, lat="32.6546", long="51.6680", address_string="خیابان چهارباغ، پلاک ۱۲",
        **{"attribute[unit]": str(district_1.pk), "attribute[landline]": "03132221111", "attribute[applicant_address]": "اصفهان"},
    ))
    assert response.status_code == 201, response.content
    [created] = response.json()
    [stored] = _requests()
    assert created["service_request_id"] == stored.tracking_code and created["token"] == str(stored.wizard_token)
    assert "تاریخ وعده پاسخ" in created["service_notice"]
    assert stored.channel == "شهر من" and stored.unit == district_1 and stored.mobile == MOBILE
    assert (stored.national_code, stored.first_name, stored.landline, stored.address) == (NATIONAL_CODE, "مریم", "03132221111", "اصفهان")
    assert stored.extra == {"location": {"lat": 32.6546, "long": 51.668, "address_string": "خیابان چهارباغ، پلاک ۱۲"}}
    with schema_context("t_alpha"):
        assert RequestEvent.objects.filter(request=stored, kind="submitted").exists()
        assert stored.get_channel_display() == "شهر من"
        row.refresh_from_db()
    assert row.last_used_at is not None


def test_the_answer_in_xml(key_a, open311_post, client_a):
    _row, key = key_a
    response = client_a.post("/open311/v2/requests.xml", open311_post(api_key=key))
    root = ElementTree.fromstring(response.content)
    assert response.status_code == 201 and root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == _requests()[0].tracking_code


def test_without_a_location_nothing_of_it_is_stored(key_a, open311_post, client_a):
    _row, key = key_a
    assert client_a.post("/open311/v2/requests.json", open311_post(api_key=key)).status_code == 201
    assert _requests()[0].extra == {}


def test_a_visit_date_in_w3c_is_stored_as_the_wizard_stores_it(key_a, open311_post, client_a):
    _row, key = key_a
    response = client_a.post("/open311/v2/requests.json", open311_post(
        api_key=key, **{"attribute[visit_date]": "2026-11-01T09:00:00+03:30", "attribute[previous_result]": "ناقص بود"}))
    assert response.status_code == 201, response.content
    assert _requests()[0].visit["visit_date"] == "2026-11-01" and _requests()[0].visit["previous_result"] == "ناقص بود"


def test_no_key_a_wrong_key_and_a_revoked_key_are_403(key_a, open311_post, client_a):
    row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post()), 403, "api_key_missing")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key + "x")), 403, "api_key_invalid")
    with schema_context("t_alpha"):
        api_key_revoke(key_id=row.pk, actor="admin@alpha.test")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key)), 403, "api_key_invalid")
    xml = client_a.post("/open311/v2/requests.xml", open311_post(api_key=key))
    assert xml.status_code == 403 and ElementTree.fromstring(xml.content).findtext("error/code") == "403"
    assert _requests() == []


def test_a_key_of_alpha_is_refused_on_beta(key_a, key_b, open311_post, client_a, client_b):
    _row, key = key_a
    _refused(client_b.post("/open311/v2/requests.json", open311_post(api_key=key)), 403, "api_key_invalid")
    assert _requests("t_beta") == [] and _requests() == []
    _row_b, beta_key = key_b
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=beta_key)), 403, "api_key_invalid")


def test_past_the_keys_rate_the_answer_is_429(key_a, open311_post, client_a):
    _row, key = key_a  # 5 a minute
    statuses = [client_a.post("/open311/v2/requests.json", open311_post(api_key=key, phone="")).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key)), 429, "api_key_rate_limited")
    assert _requests() == []


def test_bad_input_lists_every_problem_by_its_open311_name(key_a, open311_post, client_a):
    _row, key = key_a
    errors = _refused(client_a.post("/open311/v2/requests.json", open311_post(
        api_key=key, phone="123", description="", **{"attribute[national_code]": "1234567890"})), 400, "invalid_national_code")
    descriptions = " ".join(row["description"] for row in errors)
    assert "attribute[national_code]:" in descriptions and "phone:" in descriptions and "description:" in descriptions
    assert {"invalid_national_code", "invalid_mobile", "required"} <= {row["error_code"] for row in errors}
    xml = client_a.post("/open311/v2/requests.xml", open311_post(api_key=key, **{"attribute[national_code]": ""}))
    assert xml.status_code == 400 and ElementTree.fromstring(xml.content).findtext("error/code") == "400"
    assert _requests() == [] and not _drafts()


def _drafts():
    with schema_context("t_alpha"):
        return list(WizardDraft.objects.all())


def test_the_service_code_is_required_and_must_be_offered(key_a, open311_post, client_a):
    _row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, service_code=None)), 400, "service_code_required")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, service_code="99999999999")), 404, "service_not_offered_online")
    assert _requests() == []


def test_markup_and_a_long_description_are_refused(key_a, open311_post, client_a):
    _row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, description="<b>فوری</b>")), 400, "description_markup")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, description="ا" * 4001)), 400, "max_length")
    assert _requests() == []


def test_unknown_attributes_and_values_are_refused(key_a, open311_post, client_a):
    _row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, **{"attribute[color]": "آبی"})), 400, "attribute_unknown")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, **{"attribute[applicant_kind]": "robot"})), 400, "attribute_value_invalid")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, **{"attribute[unit]": "999999"})), 400, "attribute_value_invalid")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, **{"attribute[visit_date]": "دیروز"})), 400, "date_invalid")
    assert _requests() == []


def test_a_bad_location_is_refused(key_a, open311_post, client_a):
    _row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, lat="95", long="51")), 400, "location_invalid")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, lat="32.6")), 400, "location_invalid")
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, address_string="ا" * 501)), 400, "location_invalid")
    assert _requests() == []


def test_over_the_plans_monthly_limit_the_post_is_403(key_a, open311_post, client_a, tenant_a):
    _row, key = key_a
    Plan.objects.filter(code="basic").update(requests_per_month=1)
    BillingAccount.objects.filter(tenant=tenant_a).update(plan=None)
    assert client_a.post("/open311/v2/requests.json", open311_post(api_key=key)).status_code == 201
    errors = _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key)), 403, "monthly_limit_reached")
    assert "ظرفیت ثبت درخواست این ماه" in errors[0]["description"]
    assert len(_requests()) == 1


def test_a_wrong_jurisdiction_is_refused_before_anything(key_a, open311_post, client_a):
    _row, key = key_a
    _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key, jurisdiction_id="beta.localhost")), 404, "jurisdiction_unknown")
    assert _requests() == []


def test_a_service_whose_fee_a_gateway_collects_is_refused_unpaid(key_a, open311_post, client_a, payment_gateways):
    _row, key = key_a
    with schema_context("t_alpha"):
        fee = Service.objects.get(national_id=SERVICE).fees.get()
        gateway_save(title="درگاه شهرداری", provider="zarinpal", mode="test", credentials={"merchant_id": ZARINPAL_MERCHANT},
                     fees=[fee], collects_other_fees=False, is_active=True)
    errors = _refused(client_a.post("/open311/v2/requests.json", open311_post(api_key=key)), 403, "payment_required")
    assert "پرداخت نشده است" in errors[0]["description"]
    assert _requests() == []
