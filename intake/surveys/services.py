"""Surveys (نظرسنجی, seed 002): the link goes out after an electronic answer; for walk-in
requests an SMS once the service's average delivery time has passed (beat). One response per
request, scored per axis."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.calendar import desk_calendar, working_days_add
from intake import error_codes
from intake.models import Questionnaire, ServiceQuestionnaire, ServiceRequest, Survey
from lib.persian import to_persian_digits
from notifications.messages import message_text
from notifications.services import sms_queue
from tenants.selectors import tenant_url

# Seed 002's wording, with the scan's obvious misreadings put right (بجوه→نحوه, سهول فریوطه→مسئول مربوطه,
# تجهز→تعهد, عیزان→میزان, گویی→کپی, نظرات→نظارت).
AXES = ["شفافیت فرایندی", "پاسخگویی و مسوولیت پذیری", "زمان فرایند", "نظام مند بودن فرایند", "کلیت فرایند"]
DEFAULT_QUESTIONS = [
    (0, "نحوه اطلاع رسانی درباره مراحل انجام کار"),
    (0, "اطلاع رسانی درباره مدارک مورد نیاز برای ارائه خدمات"),
    (0, "انجام کار بر اساس ضوابط اداری و عدم دخالت قضاوت های شخصی"),
    (0, "نحوه رفتار و پاسخگویی مسئول مربوطه"),
    (1, "امکانات رفاهی و فضای ارائه خدمات"),
    (1, "به موقع بودن و شفاف بودن رسیدگی به شکایات ، نظرات و پیشنهادهای شما"),
    (1, "راهنمایی و پاسخگویی کارکنان به مراجعین و پیگیری وضعیت درخواست ها"),
    (1, "نظارت کارکنان در انجام کار به گونه ای که نیاز به دوباره کاری نباشد"),
    (1, "تعداد دفعات مراجعه به سازمان برای دریافت خدمت"),
    (2, "تعهد و پایبندی به زمان ارائه خدمت در فرم \"رسید خدمت\""),
    (2, "میزان مراجعه به قسمت ها و بخش های مختلف برای دریافت خدمت"),
    (2, "نظم ، ترتیب و سهولت دسترسی به افراد و امکانات برای دریافت خدمت"),
    (3, "دریافت یک باره مدارک و اطلاعات به صورت الکترونیکی یا حضوری در هنگام مراجعه"),
    (3, "ارائه اطلاعات تکراری (کپی شناسنامه کارت ملی، ارائه چندباره اطلاعات) به واحدهای مختلف"),
    (3, "احساس نیاز به سفارش و توصیه برای دریافت خدمت"),
    (4, "احساس رضایت از کل خدمت دریافت شده"),
]
SCALE = [(1, "خیلی کم"), (2, "کم"), (3, "متوسط"), (4, "زیاد"), (5, "خیلی زیاد")]


def _seed_questionnaire() -> Questionnaire:
    return Questionnaire(title="پرسشنامه نظرسنجی میز خدمت", is_default=True,
                         questions=[{"axis": AXES[axis], "text": text} for axis, text in DEFAULT_QUESTIONS])


def questionnaire_default() -> Questionnaire:
    """The default questionnaire as a survey would get it: the stored one, else (unsaved) seed
    002's 16 questions, which the tenant's first survey stores."""
    return Questionnaire.objects.filter(is_default=True).first() or _seed_questionnaire()


def questionnaire_default_ensure() -> Questionnaire:
    """The stored default questionnaire, stored now from seed 002 if the tenant has none yet."""
    found = Questionnaire.objects.filter(is_default=True).first()
    if found:
        return found
    questionnaire = _seed_questionnaire()
    questionnaire.save()
    return questionnaire


def questionnaire_for_service(service) -> Questionnaire:
    """The questionnaire a new survey of this service gets: the admins' choice, else the default,
    stored now if it is the tenant's first survey (only ever called to make a survey)."""
    choice = ServiceQuestionnaire.objects.filter(service=service).select_related("questionnaire").first()
    return choice.questionnaire if choice else questionnaire_default_ensure()


def survey_url(tenant, survey: Survey) -> str:
    return tenant_url(tenant, reverse("intake:survey", args=[survey.token]))


def _invite(*, service_request: ServiceRequest, tenant, now: datetime) -> Survey | None:
    survey, created = Survey.objects.get_or_create(request=service_request, defaults={"questionnaire": questionnaire_for_service(service_request.service)})
    if survey.invited_at:
        return None
    survey.invited_at = now
    survey.save(update_fields=["invited_at"])

    text = message_text(event="survey", field="sms", service=service_request.service.approved_title,
                        code=to_persian_digits(service_request.tracking_code), link=survey_url(tenant, survey))
    sms_queue(mobile=service_request.mobile, text=text, purpose="survey")
    return survey


def survey_invite_after_answer(*, service_request: ServiceRequest, tenant) -> Survey | None:
    """After an electronic answer: the link, at once (in the issuing transaction)."""
    if service_request.channel == ServiceRequest.Channel.IN_PERSON:
        return None
    return _invite(service_request=service_request, tenant=tenant, now=timezone.now())


def surveys_due_send(*, tenant, now: datetime | None = None) -> int:
    """Walk-in requests whose service's average delivery time (working days from the day of
    registration) has passed get the survey SMS, once. Returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    thursday, closures = desk_calendar()
    sent = 0
    pending = ServiceRequest.objects.filter(channel=ServiceRequest.Channel.IN_PERSON).exclude(survey__invited_at__isnull=False).select_related("service")
    for service_request in pending:
        days = 0 if service_request.service.is_instant else (service_request.service.average_days or 0)
        due = working_days_add(timezone.localtime(service_request.submitted_at).date(), days, thursday_is_working=thursday, closures=closures)
        if due <= today:
            with transaction.atomic():
                if _invite(service_request=service_request, tenant=tenant, now=now):
                    sent += 1
    return sent


@transaction.atomic
def survey_answer(*, survey: Survey, answers: list[int]) -> Survey:
    """One response per request; the mean score of each axis is kept beside the answers."""
    survey = Survey.objects.select_for_update().select_related("questionnaire").get(pk=survey.pk)
    if survey.answered_at:
        raise ValidationError(_("این نظرسنجی پیش‌تر پاسخ داده شده است."), code=error_codes.SURVEY_ALREADY_ANSWERED)
    questions = survey.questionnaire.questions
    if len(answers) != len(questions) or any(a not in (1, 2, 3, 4, 5) for a in answers):
        raise ValidationError(_("به همه پرسش‌ها پاسخ دهید."), code=error_codes.SURVEY_INCOMPLETE)
    scores: dict[str, list[int]] = {}
    for question, answer in zip(questions, answers):
        scores.setdefault(question["axis"], []).append(answer)
    survey.answers, survey.answered_at = answers, timezone.now()
    survey.axis_scores = {axis: round(sum(v) / len(v), 2) for axis, v in scores.items()}
    survey.save(update_fields=["answers", "answered_at", "axis_scores"])
    return survey
