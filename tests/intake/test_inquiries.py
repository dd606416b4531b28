"""A clerk records an inquiry to another body and its reply; the working days waited on other
bodies are shown apart."""

from django.utils import timezone
from django_tenants.utils import schema_context

from intake.calendar import desk_calendar, working_days_between
from lib.jalali import jalali_format
from lib.persian import to_persian_digits


def test_an_inquiry_and_its_reply_with_the_time_waited_apart(case_submitted):
    service_request, clerk = case_submitted
    today = timezone.localdate()
    sent = today - timezone.timedelta(days=10)
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {
        "body": "اداره ثبت اسناد و املاک", "letter_text": "خواهشمند است وضعیت پلاک ۱۲ را اعلام فرمایید.",
        "sent_on": jalali_format(sent), "due_on": jalali_format(today + timezone.timedelta(days=5)),
    }, follow=True).content.decode()
    assert "استعلام ثبت شد." in page and "اداره ثبت اسناد و املاک" in page
    with schema_context("t_alpha"):
        inquiry = service_request.inquiries.get()
        thursday, closures = desk_calendar()
        waited = working_days_between(sent, today - timezone.timedelta(days=3), thursday_is_working=thursday, closures=closures)
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/{inquiry.pk}/reply/", {
        "replied_on": jalali_format(today - timezone.timedelta(days=3)), "reply_text": "پلاک بدون بازداشت است.",
    }, follow=True).content.decode()
    assert "پاسخ استعلام ثبت شد." in page and "پلاک بدون بازداشت است." in page
    assert f"زمان انتظار برای دستگاه‌های دیگر (جدا از زمان میز خدمت): <strong>{to_persian_digits(waited)} روز کاری" in page


def test_bad_dates_and_missing_letters_are_refused(case_submitted):
    service_request, clerk = case_submitted
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {"body": "اداره ثبت", "sent_on": "فردا", "due_on": ""}, follow=True).content.decode()
    assert "به تاریخ خورشیدی بنویسید" in page
    today = timezone.localdate()
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {"body": "اداره ثبت", "sent_on": jalali_format(today), "due_on": jalali_format(today)}, follow=True).content.decode()
    assert "نام دستگاه و متن یا پرونده نامه لازم است." in page
    with schema_context("t_alpha"):
        assert not service_request.inquiries.exists()
