"""A tenant filled with a known set of requests, made directly as rows with chosen dates."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

_codes = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


def request_make(*, service, unit, submitted: date, answered: date | None = None, promised: date, channel="online", paused_days=0):
    from intake.models import Request

    req = Request.objects.create(
        tracking_code=f"{next(_codes):016d}", wizard_token=uuid.uuid4(), service=service, unit=unit, text="درخواست",
        national_code="0084575948", first_name="مریم", last_name="احمدی", mobile="09121234567",
        promised_date=promised, channel=channel, paused_days=paused_days,
        status=Request.Status.ANSWERED if answered else Request.Status.IN_PROGRESS,
    )
    Request.objects.filter(pk=req.pk).update(submitted_at=at(submitted), answered_at=at(answered, 12) if answered else None)
    req.refresh_from_db()
    return req


def survey_make(*, req, scores: dict):
    from intake.models import Questionnaire, Survey

    questionnaire = Questionnaire.objects.first() or Questionnaire.objects.create(title="پرسشنامه", is_default=True)
    return Survey.objects.create(request=req, questionnaire=questionnaire, answers=[1], axis_scores=scores, answered_at=req.answered_at)


class Known:
    """Esfand 1402 (2024-02-20 … 2024-03-19) in tenant alpha, worked out in tests/insights/test_report.py."""


@pytest.fixture
def known(tenant_a):
    from catalog.models import Service, Unit
    from intake.models import Inquiry

    k = Known()
    with schema_context(tenant_a.schema_name):
        k.hq = Unit.objects.create(name="ستاد آزمون", kind=Unit.Kind.HEADQUARTERS)
        k.district = Unit.objects.create(name="منطقه آزمون", kind=Unit.Kind.DISTRICT, parent=k.hq)
        k.s1 = Service.objects.create(national_id="19900000001", approved_title="خدمت یکم", status=Service.Status.PUBLISHED, online_request=True)
        k.s2 = Service.objects.create(national_id="19900000002", approved_title="خدمت دوم", status=Service.Status.PUBLISHED, online_request=False)
        # Bahman 1402: the previous month.
        k.r0 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 2, 10), answered=date(2024, 2, 11), promised=date(2024, 2, 12))
        # Esfand 1402.
        k.r1 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 3, 16), answered=date(2024, 3, 24), promised=date(2024, 3, 18))
        k.r2 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 2, 24), answered=date(2024, 2, 27), promised=date(2024, 2, 28), channel="in_person", paused_days=1)
        k.r3 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 2, 25), answered=date(2024, 3, 3), promised=date(2024, 3, 5))
        Inquiry.objects.create(request=k.r3, body="اداره ثبت", sent_on=date(2024, 2, 26), due_on=date(2024, 3, 2), replied_on=date(2024, 2, 28))
        k.r4 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 3, 11), promised=date(2024, 3, 13), channel="assisted")
        k.r5 = request_make(service=k.s2, unit=k.district, submitted=date(2024, 3, 12), promised=date(2099, 1, 1))
        # Farvardin 1403: outside the period.
        k.r6 = request_make(service=k.s1, unit=k.hq, submitted=date(2024, 3, 25), promised=date(2024, 3, 30))
        survey_make(req=k.r1, scores={"شفافیت فرایندی": 4, "کلیت فرایند": 2})
        survey_make(req=k.r2, scores={"شفافیت فرایندی": 5, "کلیت فرایند": 4})
        survey_make(req=k.r3, scores={"شفافیت فرایندی": 3, "کلیت فرایند": 3})
    return k
