"""A clerk records an inquiry to another body and its reply; the working days waited on other
bodies are shown apart."""

import jdatetime
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from intake.calendar import desk_calendar, working_days_between
from lib.persian import to_persian_digits
from tests.builders import demo_units, request_submitted_make, user_make
from tests.clients import staff_client


def _j(day):
    return to_persian_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))


@pytest.fixture
def case(alpha_catalog):
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    return service_request, staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))


def test_an_inquiry_and_its_reply_with_the_time_waited_apart(case):
    service_request, clerk = case
    today = timezone.localdate()
    sent = today - timezone.timedelta(days=10)
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {
        "body": "اداره ثبت اسناد و املاک", "letter_text": "خواهشمند است وضعیت پلاک ۱۲ را اعلام فرمایید.",
        "sent_on": _j(sent), "due_on": _j(today + timezone.timedelta(days=5)),
    }, follow=True).content.decode()
    assert "استعلام ثبت شد." in page and "اداره ثبت اسناد و املاک" in page
    with schema_context("t_alpha"):
        inquiry = service_request.inquiries.get()
        thursday, closures = desk_calendar()
        waited = working_days_between(sent, today - timezone.timedelta(days=3), thursday_is_working=thursday, closures=closures)
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/{inquiry.pk}/reply/", {
        "replied_on": _j(today - timezone.timedelta(days=3)), "reply_text": "پلاک بدون بازداشت است.",
    }, follow=True).content.decode()
    assert "پاسخ استعلام ثبت شد." in page and "پلاک بدون بازداشت است." in page
    assert f"زمان انتظار برای دستگاه‌های دیگر (جدا از زمان میز خدمت): <strong>{to_persian_digits(waited)} روز کاری" in page


def test_bad_dates_and_missing_letters_are_refused(case):
    service_request, clerk = case
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {"body": "اداره ثبت", "sent_on": "فردا", "due_on": ""}, follow=True).content.decode()
    assert "به تاریخ خورشیدی بنویسید" in page
    today = timezone.localdate()
    page = clerk.post(f"/staff/requests/{service_request.pk}/inquiries/", {"body": "اداره ثبت", "sent_on": _j(today), "due_on": _j(today)}, follow=True).content.decode()
    assert "نام دستگاه و متن یا پرونده نامه لازم است." in page
    with schema_context("t_alpha"):
        assert not service_request.inquiries.exists()
