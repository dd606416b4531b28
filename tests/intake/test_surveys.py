"""Surveys: the link after an electronic answer; for a walk-in request the SMS once the
service's average delivery time has passed (a controlled clock); one response, scores per axis."""

import re
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from intake.calendar import desk_calendar, working_days_add
from intake.models import Survey
from intake.surveys.services import surveys_due_send
from notifications.models import SmsMessage
from tests.builders import demo_units, letter_post, request_submitted_make, user_make
from tests.clients import host_client, staff_client


def test_answered_online_the_citizen_gets_the_link_and_answers_once(alpha_catalog):
    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", letter_post())
    with schema_context("t_alpha"):
        text = SmsMessage.objects.filter(purpose="survey").get().text
    path = re.search(r"/survey/[^/\s]+/", text).group(0)
    citizen = host_client("alpha.localhost")
    page = citizen.get(path).content.decode()
    assert "شفافیت فرایندی" in page and "احساس رضایت از کل خدمت دریافت شده" in page and page.count('type="radio"') == 80
    partial = citizen.post(path, {"q1": "5"})
    assert partial.status_code == 400 and "به همه پرسش‌ها پاسخ دهید." in partial.content.decode()
    answers = {f"q{i}": str(5 if i <= 4 else 3) for i in range(1, 17)}
    assert "پاسخ شما ثبت شد" in citizen.post(path, answers).content.decode()
    with schema_context("t_alpha"):
        survey = Survey.objects.get(request_id=service_request.pk)
        assert survey.axis_scores["شفافیت فرایندی"] == 5 and survey.axis_scores["کلیت فرایند"] == 3
    citizen.post(path, {f"q{i}": "1" for i in range(1, 17)})
    with schema_context("t_alpha"):
        assert Survey.objects.get(request_id=service_request.pk).answers[0] == 5


def test_a_walk_in_gets_the_survey_sms_when_the_average_time_has_passed(alpha_catalog, tenant_a):
    hq, _, _ = demo_units()
    service_request = request_submitted_make(unit=hq, channel="in_person", assisted_by="desk@alpha.test")
    with schema_context("t_alpha"):
        thursday, closures = desk_calendar()
        submitted_on = timezone.localtime(service_request.submitted_at).date()
        due = working_days_add(submitted_on, service_request.service.average_days, thursday_is_working=thursday, closures=closures)
        noon = lambda day: timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=12)
        assert surveys_due_send(tenant=tenant_a, now=noon(due - timedelta(days=1))) == 0
        assert not SmsMessage.objects.filter(purpose="survey").exists()
        assert surveys_due_send(tenant=tenant_a, now=noon(due)) == 1
        assert surveys_due_send(tenant=tenant_a, now=noon(due + timedelta(days=3))) == 0
        sms = SmsMessage.objects.filter(purpose="survey").get()
        assert sms.mobile == service_request.mobile and "/survey/" in sms.text
