"""The request API: submit (files, idempotency, concurrency, Persian errors) and tracking
(found, not found, mistyped, rate-limited), tenant by tenant, and its OpenAPI schema."""

from __future__ import annotations

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from intake.models import ServiceRequest, WizardDraft
from tenants.tracking_codes import tracking_code_new
from tests.builders import MOBILE, NATIONAL_CODE, SERVICE, pdf_bytes, png_bytes, request_api_post, request_files, unit_make
from tests.clients import Wizard, api_submit

NOT_FOUND = "درخواستی با این کد رهگیری و این کد ملی یا شماره همراه یافت نشد."
PERSIAN_DIGITS = re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$")


def track(client, code: str, identity: str, ip: str = "127.0.0.1"):
    return client.post("/api/requests/track/", {"code": code, "identity": identity}, content_type="application/json", REMOTE_ADDR=ip)


@pytest.fixture
def submitted(alpha_catalog, client_a) -> dict:
    response = api_submit(client_a, str(uuid.uuid4()), **request_api_post(files=request_files()))
    assert response.status_code == 201, response.json()
    return response.json()


# --- Submit --------------------------------------------------------------------------------


def test_a_submit_with_two_files_gives_code_promised_date_unit_and_sms(submitted, tenant_a):
    assert re.fullmatch(r"\d{16}", submitted["tracking_code"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", submitted["promised_date"])
    assert PERSIAN_DIGITS.match(submitted["promised_date_jalali"])
    assert submitted["service"]["national_id"] == SERVICE
    assert submitted["unit"]["name"] == "ستاد شهرداری" and "phone" in submitted["unit"]
    assert submitted["sms"]["status"] == "queued" and submitted["sms"]["label"] == "در صف ارسال"
    assert [f["name"] for f in submitted["files"]] == ["plan.pdf", "photo.png"]
    assert submitted["tracking_url"].endswith("/track/")
    with schema_context(tenant_a.schema_name):
        service_request = ServiceRequest.objects.get()
        assert service_request.tracking_code == submitted["tracking_code"] and service_request.promised_date.isoformat() == submitted["promised_date"]
        assert (service_request.national_code, service_request.mobile, service_request.channel) == (NATIONAL_CODE, MOBILE, "online")
        assert service_request.events.get().title == "ثبت درخواست" and service_request.current_stage.name == "بررسی مدارک"
        stored = [a.file.name for a in service_request.attachments.all()]
    assert len(stored) == 2 and all(name.startswith("requests/") and "plan" not in name for name in stored)


def test_the_receipt_built_by_hand_is_the_schemas_json(submitted, client_a, tenant_a):
    """The receipt is written by hand for speed; DRF's field-by-field rendering of the declared
    schema must give the same JSON, for a submit and for its retry (which reads its files)."""
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from intake.citizen.api_serializers import RequestReceiptSerializer

    connection.set_tenant(tenant_a)  # as a request on its host (the receipt names its tracking page)
    try:
        service_request = ServiceRequest.objects.select_related("service", "unit").get()
        by_the_schema = serializers.Serializer.to_representation(RequestReceiptSerializer(), service_request)
        by_hand = RequestReceiptSerializer(service_request).data
    finally:
        connection.set_schema_to_public()
    assert submitted == json.loads(JSONRenderer().render(by_the_schema)) == json.loads(JSONRenderer().render(by_hand))
    assert list(submitted) == list(by_the_schema)


def test_the_unit_can_be_chosen_and_must_offer_the_service(alpha_catalog, client_a, tenant_a):
    from catalog.models import Service

    with schema_context(tenant_a.schema_name):
        district = Service.objects.get(national_id=SERVICE).units.exclude(parent=None).first()
        stranger = unit_make(name="واحد بی‌ربط")
    chosen = api_submit(client_a, **request_api_post(unit=district.pk))
    assert chosen.status_code == 201 and chosen.json()["unit"] == {"id": district.pk, "name": district.name, "phone": district.phone}
    refused = api_submit(client_a, **request_api_post(unit=stranger.pk))
    assert refused.status_code == 400 and refused.json() == {
        "unit": ["این خدمت در واحد انتخاب‌شده ارائه نمی‌شود."], "codes": {"unit": ["service_not_offered_in_unit"]},
    }


def test_a_retry_with_the_same_key_returns_the_same_request(alpha_catalog, client_a, tenant_a):
    key = str(uuid.uuid4())
    first = api_submit(client_a, key, **request_api_post(files=request_files()))
    again = api_submit(client_a, key, **request_api_post(files=request_files()))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    with schema_context(tenant_a.schema_name):
        assert ServiceRequest.objects.count() == 1 and str(ServiceRequest.objects.get().wizard_token) == key
        assert ServiceRequest.objects.get().attachments.count() == 2


CONFLICT = {"detail": "این کلید تکرار (Idempotency-Key) پیش‌تر برای درخواست دیگری به کار رفته است؛ برای هر درخواست تازه کلید تازه‌ای بفرستید.",
            "code": "idempotency_key_conflict"}


def test_a_key_replays_only_to_the_client_that_first_used_it(alpha_catalog, tenant_a, admin_a):
    key = str(uuid.uuid4())
    assert api_submit(Client(HTTP_HOST=tenant_a.subdomain), key, **request_api_post(files=request_files())).status_code == 201
    # Someone else holding the key: an empty body, another applicant, the same fields without the files, a signed-in session.
    others = [api_submit(Client(HTTP_HOST=tenant_a.subdomain), key),
              api_submit(Client(HTTP_HOST=tenant_a.subdomain), key, **request_api_post(national_code="0499370899")),
              api_submit(Client(HTTP_HOST=tenant_a.subdomain), key, **request_api_post()),
              api_submit(admin_a, key, **request_api_post(files=request_files()))]
    assert [(r.status_code, r.json()) for r in others] == [(409, CONFLICT)] * 4
    # The first client's retry, from any connection, is answered.
    again = api_submit(Client(HTTP_HOST=tenant_a.subdomain), key, **request_api_post(files=request_files()))
    assert again.status_code == 200 and again.json()["files"][0]["name"] == "plan.pdf"
    with schema_context(tenant_a.schema_name):
        assert ServiceRequest.objects.count() == 1


def test_a_web_wizards_token_opens_nothing_through_the_api(alpha_catalog, client_a, tenant_a):
    """The wizard's token was a bearer of its receipt: as an Idempotency-Key it got the tracking
    code, unit, file names and SMS status with an empty body."""
    wizard = Wizard(client_a).start().fill()
    half_done = Wizard(client_a).start().fill()
    assert wizard.submit().status_code == 302
    stranger = Client(HTTP_HOST=tenant_a.subdomain)
    for token in (wizard.token, half_done.token):
        for data in ({}, request_api_post(files=request_files())):
            answer = api_submit(stranger, token, **data)
            assert (answer.status_code, answer.json()) == (409, CONFLICT)
    with schema_context(tenant_a.schema_name):
        assert ServiceRequest.objects.count() == 1  # the half-done wizard was not submitted for it
        tracking_code = ServiceRequest.objects.get().tracking_code
    assert tracking_code not in answer.content.decode()


def test_without_a_key_each_post_is_a_new_request_and_a_bad_key_is_refused(alpha_catalog, client_a, tenant_a):
    assert api_submit(client_a, **request_api_post()).status_code == 201
    assert api_submit(client_a, **request_api_post()).status_code == 201
    bad = api_submit(client_a, "not-a-uuid", **request_api_post())
    assert bad.status_code == 400 and bad.json() == {
        "Idempotency-Key": ["کلید تکرار (Idempotency-Key) باید یک UUID باشد."], "codes": {"Idempotency-Key": ["idempotency_key_invalid"]},
    }
    with schema_context(tenant_a.schema_name):
        assert ServiceRequest.objects.count() == 2


def test_no_csrf_token_and_no_sign_in_are_needed(alpha_catalog, tenant_a):
    strict = Client(enforce_csrf_checks=True, HTTP_HOST=tenant_a.subdomain)
    assert api_submit(strict, **request_api_post()).status_code == 201


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"text": ""}, "text", "متن درخواست را بنویسید."),
        ({"national_code": "0084575949"}, "national_code", "کد ملی باید ۱۰ رقم با رقم کنترل درست باشد."),
        ({"mobile": "0912"}, "mobile", "شماره همراه باید به شکل ۰۹xxxxxxxxx باشد."),
        ({"first_name": ""}, "first_name", "نام را وارد کنید."),
        ({"email": "not-mail"}, "email", "پست الکترونیک درست نیست."),
        ({"landline": "abc"}, "landline", "تلفن ثابت را با پیش‌شماره و فقط با رقم بنویسید."),
        ({"applicant_kind": "legal", "company_national_id": "12345678901", "company_name": "شرکت نمونه"},
         "company_national_id", "شناسه ملی باید ۱۱ رقم با رقم کنترل درست باشد."),
        ({"applicant_kind": "legal", "company_national_id": "", "company_name": ""}, "company_name", "نام شرکت را وارد کنید."),
        ({"visit_date": "1410/01/01"}, "visit_date", "تاریخ مراجعه نمی‌تواند در آینده باشد."),
        ({"visit_date": "1403/12/31"}, "visit_date", "این تاریخ در تقویم وجود ندارد."),
        ({"visit_date": "دیروز"}, "visit_date", "تاریخ مراجعه را خورشیدی و به شکل سال/ماه/روز بنویسید، مانند ۱۴۰۳/۰۵/۲۰."),
        ({"service": ""}, "service", "شناسه ملی خدمت را وارد کنید."),
        ({"service": "10901990000"}, "service", "این خدمت در این درگاه برای درخواست برخط ارائه نمی‌شود."),
    ],
)
def test_errors_are_persian_at_their_field_and_nothing_is_saved(alpha_catalog, client_a, tenant_a, overrides, field, message):
    response = api_submit(client_a, str(uuid.uuid4()), **request_api_post(**overrides, files=request_files()))
    assert response.status_code == 400 and message in response.json()[field], response.json()
    with schema_context(tenant_a.schema_name):
        assert not ServiceRequest.objects.exists() and not WizardDraft.objects.exists()


def test_all_the_wrong_fields_are_told_at_once(alpha_catalog, client_a):
    errors = api_submit(client_a, **request_api_post(text="", mobile="123", national_code="1")).json()
    assert set(errors) == {"text", "mobile", "national_code", "codes"}
    assert errors["codes"] == {"text": ["required"], "mobile": ["invalid_mobile"], "national_code": ["invalid_national_code"]}


def test_a_visit_in_jalali_with_persian_digits_is_kept(alpha_catalog, client_a, tenant_a):
    response = api_submit(client_a, **request_api_post(visit_date="۱۴۰۳/۰۲/۱۵", clerk_name="آقای رضایی", description="مراجعه قبلی"))
    assert response.status_code == 201, response.json()
    with schema_context(tenant_a.schema_name):
        visit = ServiceRequest.objects.get().visit
    assert visit["visit_date"] == "2024-05-04" and visit["clerk_name"] == "آقای رضایی"


@pytest.mark.parametrize(
    "files, message, code",
    [
        ([("letter.pdf", b"this is plain text pretending to be a PDF")], "نوع «letter.pdf» پذیرفته نیست؛ فقط JPG، PDF، PNG.", "file_type_refused"),
        ([("photo.pdf", "png")], None, None),  # a PNG named .pdf is a PNG: accepted, by content
        ([("big.pdf", pdf_bytes(900 * 1024))], "اندازه «big.pdf» بیش از ۸۰۰ کیلوبایت است.", "file_too_large"),
        ([("a.pdf", pdf_bytes()), ("b.pdf", pdf_bytes()), ("c.pdf", pdf_bytes())], "بیش از ۲ پرونده نمی‌توان پیوست کرد.", "files_too_many"),
    ],
)
def test_files_are_judged_by_content_size_and_count(alpha_catalog, client_a, tenant_a, files, message, code):
    uploads = [SimpleUploadedFile(name, png_bytes() if content == "png" else content) for name, content in files]
    response = api_submit(client_a, **request_api_post(files=uploads))
    if message is None:
        assert response.status_code == 201 and response.json()["files"][0]["content_type"] == "image/png"
        return
    assert response.status_code == 400 and response.json() == {"files": [message], "codes": {"files": [code]}}
    with schema_context(tenant_a.schema_name):
        assert not WizardDraft.objects.exists()


def test_refusals_carry_codes_beside_the_persian_messages(alpha_catalog, client_a, tenant_a):
    response = api_submit(client_a, **request_api_post(national_code="0084575949", mobile="0912", company_name="", applicant_kind="legal",
                                                        company_national_id="123", text="", visit_date="دیروز"))
    assert response.status_code == 400
    body = response.json()
    assert body["national_code"] == ["کد ملی باید ۱۰ رقم با رقم کنترل درست باشد."]
    assert body["codes"] == {
        "text": ["required"], "national_code": ["invalid_national_code"], "mobile": ["invalid_mobile"],
        "company_national_id": ["invalid_legal_id"], "company_name": ["company_name_required"], "visit_date": ["visit_date_format"],
    }
    assert set(body) - {"codes"} == set(body["codes"])  # every field with messages has its codes
    with schema_context(tenant_a.schema_name):
        assert not ServiceRequest.objects.exists() and not WizardDraft.objects.exists()


# --- Track ---------------------------------------------------------------------------------


def test_tracking_shows_stages_dates_and_promised_date(submitted, client_a):
    response = track(client_a, submitted["tracking_code"], NATIONAL_CODE)
    assert response.status_code == 200
    status = response.json()
    assert status["tracking_code"] == submitted["tracking_code"] and status["late"] is False
    assert status["promised_date"] == submitted["promised_date"] and PERSIAN_DIGITS.match(status["promised_date_jalali"])
    assert status["current_stage"]["name"] == "بررسی مدارک" and status["status_label"] == "ثبت‌شده"
    assert [s["name"] for s in status["stages"]] == ["بررسی مدارک", "بازدید کارشناس", "محاسبه عوارض", "صدور پروانه"]
    assert [s["current"] for s in status["stages"]] == [True, False, False, False]
    [event] = status["events"]
    assert event["title"] == "ثبت درخواست" and re.fullmatch(r"[۰-۹/ :]{16}", event["at_jalali"]) and "T" in event["at"]
    assert "national_code" not in status and "mobile" not in status and NATIONAL_CODE not in response.content.decode()


def test_tracking_follows_the_request_and_hides_internal_notes(submitted, client_a, tenant_a):
    from intake.models import RequestEvent

    with schema_context(tenant_a.schema_name):
        service_request = ServiceRequest.objects.get(tracking_code=submitted["tracking_code"])
        third = service_request.service.stages.order_by("order", "id")[2]
        ServiceRequest.objects.filter(pk=service_request.pk).update(current_stage=third)
        RequestEvent.objects.create(request=service_request, title="یادداشت داخلی", note="فقط برای کارمندان", visible_to_citizen=False)
        visible = RequestEvent.objects.create(request=service_request, title="بازدید انجام شد", note="کارشناس از ملک بازدید کرد.")
    status = track(client_a, submitted["tracking_code"], MOBILE).json()
    assert status["current_stage"] == {"order": third.order, "name": "محاسبه عوارض", "current": True, "passed": False}
    assert [(s["passed"], s["current"]) for s in status["stages"]] == [(True, False), (True, False), (False, True), (False, False)]
    assert [e["title"] for e in status["events"]] == ["ثبت درخواست", "بازدید انجام شد"]
    assert status["events"][1]["note"] == "کارشناس از ملک بازدید کرد."
    assert status["events"][1]["at"] == timezone.localtime(visible.created_at).isoformat()
    assert "فقط برای کارمندان" not in str(status)


def test_tracking_by_mobile_and_with_persian_digits(submitted, client_a):
    persian_code = submitted["tracking_code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert track(client_a, persian_code, "+989121234567").status_code == 200


def test_a_late_request_says_so(submitted, client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        ServiceRequest.objects.update(promised_date="2020-01-01")
    assert track(client_a, submitted["tracking_code"], MOBILE).json()["late"] is True


def test_any_wrong_pair_is_only_not_found(submitted, client_a):
    wrong_person = track(client_a, submitted["tracking_code"], "0012345679")
    wrong_code = track(client_a, tracking_code_new(), NATIONAL_CODE)
    assert wrong_person.status_code == wrong_code.status_code == 404
    assert wrong_person.json() == wrong_code.json() == {"detail": NOT_FOUND, "code": "not_found"}


def test_a_mistyped_code_is_told_as_such(submitted, client_a):
    code = submitted["tracking_code"]
    mistyped = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    response = track(client_a, mistyped, NATIONAL_CODE)
    assert response.status_code == 400
    assert response.json() == {"code": ["کد رهگیری ۱۶ رقم است و این کد درست نیست؛ آن را دوباره بخوانید."], "codes": {"code": ["mistyped_code"]}}
    assert track(client_a, "", NATIONAL_CODE).json() == {"code": ["کد رهگیری را وارد کنید."], "codes": {"code": ["blank"]}}


def test_lookups_are_limited_per_ip_with_the_tracking_page(submitted, client_a, settings):
    settings.INTAKE_TRACK_LIMIT_PER_IP = 3
    code = submitted["tracking_code"]
    # The page and the API count together.
    assert client_a.post("/track/", {"code": code, "identity": NATIONAL_CODE}, REMOTE_ADDR="10.0.0.7").status_code == 200
    assert track(client_a, code, NATIONAL_CODE, ip="10.0.0.7").status_code == 200
    assert track(client_a, "1234", NATIONAL_CODE, ip="10.0.0.7").status_code == 400  # mistyped ones count too
    limited = track(client_a, code, NATIONAL_CODE, ip="10.0.0.7")
    assert limited.status_code == 429
    assert limited.json() == {"detail": "تعداد تلاش‌ها بیش از اندازه است؛ چند دقیقه دیگر دوباره تلاش کنید.", "code": "too_many_attempts"}
    assert track(client_a, code, NATIONAL_CODE, ip="10.0.0.8").status_code == 200


def test_wrong_identities_are_limited_per_code_and_ip(submitted, client_a, settings):
    settings.INTAKE_TRACK_LIMIT_PER_CODE = 2
    code = submitted["tracking_code"]
    assert [track(client_a, code, "0012345679", ip="10.0.1.1").status_code for _ in range(3)] == [404, 404, 429]
    assert track(client_a, code, NATIONAL_CODE, ip="10.0.1.1").json()["code"] == "too_many_attempts_for_code"
    # Another address is not locked out by them, and right answers are never counted.
    assert [track(client_a, code, NATIONAL_CODE, ip="10.0.1.2").status_code for _ in range(4)] == [200] * 4
    assert [track(client_a, code, "0012345679", ip="10.0.1.2").status_code for _ in range(3)] == [404, 404, 429]


def test_an_invented_forwarded_for_is_no_new_client(client_a, settings):
    """With no proxy trusted (the default), X-Forwarded-For is the client's own words."""
    assert settings.TRUSTED_PROXY_HOPS == 0 and settings.TRUSTED_PROXIES == []
    statuses = [client_a.post("/api/requests/track/", {"code": tracking_code_new(), "identity": NATIONAL_CODE}, content_type="application/json",
                              REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(40)]
    limit = settings.INTAKE_TRACK_LIMIT_PER_IP
    assert statuses == [404] * limit + [429] * (40 - limit)


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client_a, settings):
    settings.TRUSTED_PROXIES, settings.INTAKE_TRACK_LIMIT_PER_IP = ["10.0.0.0/8"], 3

    def through_proxy(claimed: str):
        return client_a.post("/api/requests/track/", {"code": tracking_code_new(), "identity": NATIONAL_CODE}, content_type="application/json",
                             REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {claimed}").status_code

    # Forty citizens behind the proxy are forty clients; one of them is still limited.
    assert [through_proxy(f"198.51.100.{n}") for n in range(40)] == [404] * 40
    assert [through_proxy("198.51.100.200") for _ in range(4)] == [404, 404, 404, 429]


def test_one_ip_counts_once_across_every_tenants_host(client_a, client_b, settings):
    """Per IP across the platform: trying alpha, then beta, buys no fresh allowance."""
    settings.INTAKE_TRACK_LIMIT_PER_IP = 4
    on_alpha = [track(client_a, tracking_code_new(), NATIONAL_CODE, ip="203.0.113.8").status_code for _ in range(2)]
    on_beta = [track(client_b, tracking_code_new(), NATIONAL_CODE, ip="203.0.113.8").status_code for _ in range(3)]
    assert (on_alpha, on_beta) == ([404, 404], [404, 404, 429])
    assert track(client_a, tracking_code_new(), NATIONAL_CODE, ip="203.0.113.8").status_code == 429
    # Another address is its own client.
    assert track(client_b, tracking_code_new(), NATIONAL_CODE, ip="203.0.113.9").status_code == 404


def test_a_lookup_takes_few_queries(submitted, client_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert track(client_a, submitted["tracking_code"], NATIONAL_CODE).status_code == 200


# --- Tenants -------------------------------------------------------------------------------


def test_a_request_of_alpha_cannot_be_tracked_on_beta(submitted, client_a, client_b):
    on_beta = track(client_b, submitted["tracking_code"], NATIONAL_CODE)
    assert on_beta.status_code == 404 and on_beta.json()["detail"] == NOT_FOUND
    assert track(client_a, submitted["tracking_code"], NATIONAL_CODE).status_code == 200


def test_beta_cannot_take_a_request_for_a_service_only_alpha_publishes(alpha_catalog, client_b, tenant_b):
    response = api_submit(client_b, str(uuid.uuid4()), **request_api_post())
    assert response.status_code == 400
    assert response.json() == {"service": ["این خدمت در این درگاه برای درخواست برخط ارائه نمی‌شود."], "codes": {"service": ["service_not_offered_online"]}}
    with schema_context(tenant_b.schema_name):
        assert not ServiceRequest.objects.exists()


# --- The schema ----------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_endpoints(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    submit_op, track_op = schema["paths"]["/api/requests/"]["post"], schema["paths"]["/api/requests/track/"]["post"]
    assert {"201", "200", "400"} <= set(submit_op["responses"]) and {"200", "400", "404", "429"} <= set(track_op["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in submit_op["parameters"])
    assert "multipart/form-data" in submit_op["requestBody"]["content"]
    assert submit_op["security"] == track_op["security"] == [{}]  # no sign-in


# --- Against the real server: concurrent posts ---------------------------------------------


def _server_post(base: str, host: str, path: str, *, key: str | None = None, data=None, files=None, json=None):
    headers = {"Host": host, **({"Idempotency-Key": key} if key else {})}
    return requests.post(base + path, headers=headers, data=data, files=files, json=json, timeout=60)


@pytest.fixture
def gamma_server(live_server_url, demo_catalog_on_server):
    port = urlsplit(live_server_url).port
    return f"http://127.0.0.1:{port}", f"gamma.localhost:{port}"


def _server_files() -> list:
    return [("files", ("plan.pdf", pdf_bytes(), "application/pdf")), ("files", ("photo.png", png_bytes(), "image/png"))]


def test_concurrent_identical_submits_give_one_request(gamma_server, db):
    base, host = gamma_server
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: _server_post(base, host, "/api/requests/", key=key, data=request_api_post(), files=_server_files()), range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201], [r.text[:300] for r in responses]
    assert len({r.json()["tracking_code"] for r in responses}) == 1
    with schema_context("t_gamma"):
        assert ServiceRequest.objects.filter(wizard_token=key).count() == 1
        assert ServiceRequest.objects.get(wizard_token=key).attachments.count() == 2
    status = _server_post(base, host, "/api/requests/track/", json={"code": responses[0].json()["tracking_code"], "identity": MOBILE})
    assert status.status_code == 200 and status.json()["events"][0]["title"] == "ثبت درخواست"


def test_concurrent_different_submits_give_distinct_codes(gamma_server, db):
    base, host = gamma_server
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: _server_post(base, host, "/api/requests/", key=str(uuid.uuid4()), data=request_api_post()), range(16)))
    assert [r.status_code for r in responses] == [201] * 16
    assert len({r.json()["tracking_code"] for r in responses}) == 16


def test_the_limits_count_the_same_on_redis(submitted, client_a, settings, tenant_a):
    """Production counts on Redis in one round trip; the counter stays a plain cache value."""
    from django.core.cache import cache, caches

    prefix = f"test-api-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL,
                                   "KEY_PREFIX": prefix, "KEY_FUNCTION": "lib.cache.make_key"},
                       "platform": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL,
                                    "KEY_PREFIX": prefix + "-platform"}}
    settings.INTAKE_TRACK_LIMIT_PER_CODE = 2
    code = submitted["tracking_code"]
    assert [track(client_a, code, "0012345679", ip="10.0.2.1").status_code for n in range(3)] == [404, 404, 429]
    assert track(client_a, code, NATIONAL_CODE, ip="10.0.2.0").status_code == 200
    with schema_context(tenant_a.schema_name):
        # Wrong identities count in the code's tenant's cache, per code and IP; the IP in the platform's.
        assert cache.get(f"attempts:track-code-wrong:{code}|10.0.2.1") == 2 and caches["platform"].get("attempts:track-ip:10.0.2.0") == 1
        full_key = cache.make_and_validate_key(f"attempts:track-code-wrong:{code}|10.0.2.1")
        assert 0 < cache._cache.get_client(full_key).ttl(full_key) <= 600  # the window, set once


def test_a_look_ups_stages_are_its_tracked_stages_field_for_field(submitted, client_a, tenant_a):
    """The look-up's stages are written by hand (not dataclasses.asdict): each is its TrackedStage's
    fields, in their order, and the current one is also `current_stage`."""
    import dataclasses

    from intake.citizen.selectors import TrackedStage, request_track_summary

    found = client_a.post("/api/requests/track/", {"code": submitted["tracking_code"], "identity": NATIONAL_CODE},
                          content_type="application/json").json()
    with schema_context(tenant_a.schema_name):
        tracked = request_track_summary(code=submitted["tracking_code"], identity=NATIONAL_CODE)
    assert found["stages"] == [dataclasses.asdict(stage) for stage in tracked.stages] and len(found["stages"]) >= 2
    assert [list(stage) for stage in found["stages"]] == [[f.name for f in dataclasses.fields(TrackedStage)]] * len(found["stages"])
    assert found["current_stage"] == dataclasses.asdict(tracked.current_stage) and found["current_stage"]["current"] is True
