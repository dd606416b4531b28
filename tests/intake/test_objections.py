"""Objections: a rejection letter carries the objection route; the citizen (after the one-time
code, or signed in) objects, and the objection is a new request linked to the rejected one,
with its own tracking code and receipt; staff see the link both ways."""

import datetime

import jdatetime
import pytest
from django.utils import timezone
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import ServiceRequest
from lib.persian import to_persian_digits
from notifications.models import SmsMessage
from tests.builders import demo_units, pdf_bytes, request_submitted_make, row_values, user_make
from tests.clients import citizen_granted_client, host_client, staff_client

ROUTE = "کمیسیون ماده ۱۰۰، ظرف ده روز از ابلاغ"
REJECTION = {"outcome": "rejected", "legal_basis": "ماده ۱۰۰ قانون شهرداری‌ها", "content": "پروانه صادر نمی‌شود.",
             "objection_route": ROUTE, "objection_days": "۱۰", "notes": ""}


@pytest.fixture
def rejected(alpha_catalog):
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", REJECTION)
    return service_request, clerk


def test_the_citizen_objects_and_gets_a_new_linked_request(rejected):
    service_request, clerk = rejected
    citizen = citizen_granted_client(service_request)
    page = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "ثبت اعتراض به پاسخ" in page and ROUTE in page
    deadline = jdatetime.date.fromgregorian(date=timezone.localdate() + datetime.timedelta(days=10)).strftime("%Y/%m/%d")
    assert f"مهلت اعتراض: ۱۰ روز، تا {to_persian_digits(deadline)}" in page
    response = citizen.post(f"/track/request/{service_request.pk}/objection/", {
        "text": "زمین در محدوده مجاز است؛ نقشه پیوست است.", "documents": SimpleUploadedFile("map.pdf", pdf_bytes())})
    assert response.status_code == 302
    with schema_context("t_alpha"):
        objection = ServiceRequest.objects.get(objection_of_id=service_request.pk)
        assert objection.tracking_code != service_request.tracking_code and objection.status == ServiceRequest.Status.SUBMITTED
        assert objection.national_code == service_request.national_code and objection.service_id == service_request.service_id
        assert objection.attachments.count() == 1
        assert SmsMessage.objects.filter(purpose="receipt", text__contains=to_persian_digits(objection.tracking_code)).exists()
    receipt = citizen.get(response["Location"]).content.decode()
    assert "رسید خدمت" in receipt and to_persian_digits(objection.tracking_code) in receipt
    assert to_persian_digits(service_request.tracking_code) in receipt
    pdf = citizen.get(f"/track/request/{objection.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tracked = citizen.get(f"/track/request/{objection.pk}/").content.decode()
    assert "این درخواست اعتراض به پاسخ درخواست" in tracked
    original_page = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "اعتراض شما با کد رهگیری" in original_page and "ثبت اعتراض به پاسخ" not in original_page
    again = citizen.post(f"/track/request/{service_request.pk}/objection/", {"text": "دوباره"}, follow=True).content.decode()
    assert "پیش‌تر ثبت شده است" in again

    # Staff see the link both ways, and the objection is in the clerk's queue.
    original_staff = clerk.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "اعتراض متقاضی" in original_staff and to_persian_digits(objection.tracking_code) in original_staff
    objection_staff = clerk.get(f"/staff/requests/{objection.pk}/").content.decode()
    assert "اعتراض به درخواست" in objection_staff and to_persian_digits(service_request.tracking_code) in objection_staff
    assert to_persian_digits(objection.tracking_code) in clerk.get("/staff/requests/").content.decode()


def test_no_objection_without_the_one_time_code_or_to_a_grant(rejected, alpha_catalog):
    service_request, clerk = rejected
    before = row_values(service_request)
    assert host_client("alpha.localhost").post(f"/track/request/{service_request.pk}/objection/", {"text": "اعتراض"}).status_code == 404
    assert row_values(service_request) == before
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.filter(objection_of=service_request).exists()
    assert host_client("alpha.localhost").get(f"/track/request/{service_request.pk}/receipt/").status_code == 404
    _, district_1, _ = demo_units()
    granted_req = request_submitted_make(unit=district_1)
    clerk.post(f"/staff/requests/{granted_req.pk}/accept/")
    clerk.post(f"/staff/requests/{granted_req.pk}/letter/", {**REJECTION, "outcome": "granted"})
    citizen = citizen_granted_client(granted_req)
    assert "ثبت اعتراض به پاسخ" not in citizen.get(f"/track/request/{granted_req.pk}/").content.decode()
    page = citizen.post(f"/track/request/{granted_req.pk}/objection/", {"text": "اعتراض"}, follow=True).content.decode()
    assert "اعتراض پذیرفته نیست" in page
    empty = citizen_granted_client(service_request).post(f"/track/request/{service_request.pk}/objection/", {"text": " "}, follow=True).content.decode()
    assert "متن اعتراض را بنویسید." in empty
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.filter(objection_of__isnull=False).exists()


def test_a_signed_in_citizen_objects_without_the_code(rejected):
    service_request, _ = rejected
    with schema_context("t_alpha"):
        citizen_user = user_make(email="maryam@alpha.test", password="x-Passw0rd-1405", role=User.Role.CITIZEN)
        ServiceRequest.objects.filter(pk=service_request.pk).update(citizen=citizen_user)
    client = host_client("alpha.localhost")
    with schema_context("t_alpha"):
        client.force_login(citizen_user)
    response = client.post(f"/track/request/{service_request.pk}/objection/", {"text": "به این تصمیم اعتراض دارم."})
    assert response.status_code == 302
    with schema_context("t_alpha"):
        objection = ServiceRequest.objects.get(objection_of_id=service_request.pk)
        assert objection.citizen_id == citizen_user.pk
    assert to_persian_digits(objection.tracking_code) in client.get(response["Location"]).content.decode()


def _letter_dated(service_request, days_ago: int) -> None:
    from intake.models import AnswerLetter

    with schema_context("t_alpha"):
        AnswerLetter.objects.filter(request=service_request).update(issued_on=timezone.localdate() - datetime.timedelta(days=days_ago))


def test_an_objection_after_the_deadline_is_refused(rejected):
    service_request, _ = rejected
    _letter_dated(service_request, days_ago=11)  # ten days to object: yesterday was the last
    citizen = citizen_granted_client(service_request)
    page = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "مهلت اعتراض به این پاسخ در" in page and "به پایان رسیده است" in page
    assert "ثبت اعتراض به پاسخ" not in page
    refused = citizen.post(f"/track/request/{service_request.pk}/objection/", {"text": "اعتراض دارم."}, follow=True).content.decode()
    assert "مهلت اعتراض به این پاسخ در" in refused
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.filter(objection_of_id=service_request.pk).exists()


def test_the_last_day_of_the_deadline_is_in_time(rejected):
    service_request, _ = rejected
    _letter_dated(service_request, days_ago=10)
    citizen = citizen_granted_client(service_request)
    assert "ثبت اعتراض به پاسخ" in citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert citizen.post(f"/track/request/{service_request.pk}/objection/", {"text": "اعتراض دارم."}).status_code == 302
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.filter(objection_of_id=service_request.pk).count() == 1


def test_a_refused_objection_keeps_its_text_and_names_the_files(rejected):
    service_request, _clerk = rejected
    citizen = citizen_granted_client(service_request)
    response = citizen.post(f"/track/request/{service_request.pk}/objection/", {
        "text": "پلاک در حریم معبر نیست؛ نقشه پیوست است.",
        "documents": [SimpleUploadedFile("naqsheh.pdf", b"plain text, not a PDF"), SimpleUploadedFile("sanad.pdf", pdf_bytes())],
    })
    page = response.content.decode()
    assert response.status_code == 400 and "نوع «naqsheh.pdf» پذیرفته نیست" in page
    assert ">پلاک در حریم معبر نیست؛ نقشه پیوست است.</textarea>" in page
    assert "پرونده‌های «naqsheh.pdf»، «sanad.pdf» را دوباره انتخاب کنید." in page
    with schema_context("t_alpha"):
        assert not ServiceRequest.objects.filter(objection_of_id=service_request.pk).exists()
