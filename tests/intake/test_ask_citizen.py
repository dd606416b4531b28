"""A clerk asks the citizen for a document: the request waits (the clock stops), the citizen
is told by SMS and e-mail, answers with a file through tracking after the one-time code, and
the request is back with the clerk, its promised date moved by the working days waited."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from intake.calendar import desk_calendar, working_days_add, working_days_between
from intake.models import ServiceRequest
from notifications.models import SmsMessage
from tests.builders import NATIONAL_CODE, demo_units, pdf_bytes, request_submitted_make, user_make, row_values
from tests.clients import citizen_granted_client, host_client, staff_client


@pytest.fixture
def asked(alpha_catalog, django_capture_on_commit_callbacks):
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    with django_capture_on_commit_callbacks(execute=True):
        page = clerk.post(f"/staff/requests/{service_request.pk}/ask/", {"text": "تصویر سند مالکیت را بفرستید."}, follow=True).content.decode()
    assert "درخواست برای متقاضی فرستاده شد." in page and "در انتظار پاسخ متقاضی" in page
    return service_request, clerk


def test_the_citizen_is_told_by_sms_and_email(asked):
    service_request, _ = asked
    with schema_context("t_alpha"):
        sms = SmsMessage.objects.filter(purpose="ask_citizen").get()
    assert sms.mobile == service_request.mobile and "مدرک یا اطلاعاتی" in sms.text
    assert any(m.to == [service_request.email] and "تصویر سند مالکیت" in m.body for m in mail.outbox)


def test_the_citizen_answers_with_a_file_and_the_clock_moves_on(asked):
    service_request, clerk = asked
    with schema_context("t_alpha"):
        thursday, closures = desk_calendar()
        # Asked eight calendar days ago: the answer comes after that many working days.
        asked_on = timezone.localdate() - timezone.timedelta(days=8)
        ServiceRequest.objects.filter(pk=service_request.pk).update(waiting_since=asked_on)
        before = ServiceRequest.objects.get(pk=service_request.pk).promised_date
        waited = working_days_between(asked_on, timezone.localdate(), thursday_is_working=thursday, closures=closures)
    assert waited > 0
    citizen = citizen_granted_client(service_request)
    detail = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "تصویر سند مالکیت را بفرستید." in detail and "فرستادن پاسخ" in detail
    response = citizen.post(f"/track/request/{service_request.pk}/answer/", {
        "text": "سند پیوست شد.", "documents": [SimpleUploadedFile("sanad.pdf", pdf_bytes())],
    }, follow=True).content.decode()
    assert "پاسخ شما برای میز خدمت فرستاده شد." in response and "sanad.pdf" in response
    with schema_context("t_alpha"):
        after = ServiceRequest.objects.get(pk=service_request.pk)
        assert after.status == ServiceRequest.Status.IN_PROGRESS and after.paused_days == waited
        assert after.promised_date == working_days_add(before, waited, thursday_is_working=thursday, closures=closures)
    staff_page = clerk.get(f"/staff/requests/{service_request.pk}/").content.decode()
    assert "سند پیوست شد." in staff_page and "sanad.pdf" in staff_page and "پاسخ متقاضی دریافت شد" in staff_page


def test_answering_needs_the_one_time_code_and_a_waiting_request(asked):
    service_request, _ = asked
    stranger = host_client("alpha.localhost")
    stranger.post("/track/", {"code": service_request.tracking_code, "identity": NATIONAL_CODE})
    before = row_values(service_request)
    assert stranger.post(f"/track/request/{service_request.pk}/answer/", {"text": "x"}).status_code == 404
    assert row_values(service_request) == before
    citizen = citizen_granted_client(service_request)
    citizen.post(f"/track/request/{service_request.pk}/answer/", {"text": "پاسخ"})
    again = citizen.post(f"/track/request/{service_request.pk}/answer/", {"text": "دوباره"}, follow=True).content.decode()
    assert "این درخواست اکنون منتظر پاسخ شما نیست." in again


def test_a_file_of_the_wrong_kind_is_refused_and_nothing_is_half_saved(asked):
    service_request, _ = asked
    citizen = citizen_granted_client(service_request)
    page = citizen.post(f"/track/request/{service_request.pk}/answer/", {
        "text": "سند", "documents": [SimpleUploadedFile("x.pdf", b"MZ not a pdf at all")]}, follow=True).content.decode()
    assert "پذیرفته نیست" in page
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.get(pk=service_request.pk).status == ServiceRequest.Status.WAITING_CITIZEN
        assert not ServiceRequest.objects.get(pk=service_request.pk).messages.filter(sender="citizen").exists()
