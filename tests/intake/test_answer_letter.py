"""The answer letter: issued by the clerk with the fields of seed 002, the citizen is told,
sees it when tracking and downloads the PDF; its QR page confirms number, date, body and
hash, without the national code; a rejection needs the objection route."""

import jdatetime
from django_tenants.utils import schema_context

from accounts.models import User
from intake.models import AnswerLetter, ServiceRequest
from lib.persian import to_persian_digits
from notifications.models import SmsMessage
from tests.builders import demo_units, letter_post, request_submitted_make, user_make, row_values
from tests.clients import citizen_granted_client, host_client, staff_client


def test_issue_track_download_and_verify(case_accepted, django_capture_on_commit_callbacks):
    service_request, clerk = case_accepted
    with django_capture_on_commit_callbacks(execute=True):
        page = clerk.post(f"/staff/requests/{service_request.pk}/letter/", letter_post(), follow=True).content.decode()
    assert "پاسخ صادر شد و به متقاضی خبر داده شد." in page
    year = jdatetime.date.today().year
    assert to_persian_digits(f"{year}/1") in page
    with schema_context("t_alpha"):
        letter = AnswerLetter.objects.get(request_id=service_request.pk)
        assert ServiceRequest.objects.get(pk=service_request.pk).status == ServiceRequest.Status.ANSWERED
        assert "پاسخ درخواست" in SmsMessage.objects.filter(purpose="answer").get().text
    citizen = citizen_granted_client(service_request)
    detail = citizen.get(f"/track/request/{service_request.pk}/").content.decode()
    assert "مفاد اصلی پاسخ" in detail and "پروانه ساختمان صادر می‌شود." in detail
    pdf = citizen.get(f"/track/request/{service_request.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert host_client("alpha.localhost").get(f"/track/request/{service_request.pk}/letter.pdf").status_code == 404
    verify = host_client("alpha.localhost").get(f"/letters/verify/{letter.public_id}/").content.decode()
    assert "معتبر" in verify and to_persian_digits(letter.number) in verify and letter.content_hash in verify
    assert "شهرداری آلفا" in verify and service_request.national_code not in verify and to_persian_digits(service_request.national_code) not in verify
    assert host_client("alpha.localhost").get("/letters/verify/not-a-letter/").status_code == 404
    assert host_client("beta.localhost").get(f"/letters/verify/{letter.public_id}/").status_code == 404


def test_numbers_follow_each_other_and_a_rejection_needs_the_objection_route(case_accepted, alpha_catalog):
    service_request, clerk = case_accepted
    page = clerk.post(f"/staff/requests/{service_request.pk}/letter/", {**letter_post(), "outcome": "rejected"}, follow=True).content.decode()
    assert "برای رد درخواست، مرجع و مهلت اعتراض را بنویسید." in page
    route = {"outcome": "rejected", "objection_route": "کمیسیون ماده ۱۰۰، ظرف ده روز"}
    no_days = clerk.post(f"/staff/requests/{service_request.pk}/letter/", {**letter_post(), **route}, follow=True).content.decode()
    assert "برای رد درخواست، مرجع و مهلت اعتراض را بنویسید." in no_days
    for bad, message in (("ده", "مهلت اعتراض را به روز و با رقم بنویسید."), ("۴۰۰", "مهلت اعتراض باید میان ۱ تا ۳۶۵ روز باشد.")):
        assert message in clerk.post(f"/staff/requests/{service_request.pk}/letter/", {**letter_post(), **route, "objection_days": bad}, follow=True).content.decode()
    with schema_context("t_alpha"):
        assert not AnswerLetter.objects.exists()  # nothing issued, no number taken
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", {**letter_post(), **route, "objection_days": "۱۰"})
    _, district_1, _ = demo_units()
    second = request_submitted_make(unit=district_1)
    clerk.post(f"/staff/requests/{second.pk}/accept/")
    clerk.post(f"/staff/requests/{second.pk}/letter/", letter_post())
    again = clerk.post(f"/staff/requests/{second.pk}/letter/", letter_post(), follow=True).content.decode()
    assert "پاسخ این درخواست پیش‌تر صادر شده است." in again or "صدور پاسخ" not in again
    with schema_context("t_alpha"):
        assert ServiceRequest.objects.get(pk=service_request.pk).status == ServiceRequest.Status.REJECTED
        assert list(AnswerLetter.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]


def test_a_desk_operator_cannot_issue(case_accepted):
    service_request, _ = case_accepted
    hq, _, _ = demo_units()
    desk = staff_client(user_make(role=User.Role.DESK_OPERATOR, email="desk@alpha.test", unit=hq))
    before = row_values(service_request)
    assert desk.post(f"/staff/requests/{service_request.pk}/letter/", letter_post()).status_code == 403
    assert row_values(service_request) == before
    with schema_context("t_alpha"):
        assert not AnswerLetter.objects.exists()
