"""Nothing typed is lost, in a real browser on the live server (tenant "gamma"): after the
server refuses tracking (a wrong pair), the citizen's reply (a file that is not what its name
says), the answer letter (a rejection without its objection route) and the survey (a question
left out), every value typed is still in its box and the Persian error is on the page; each
file chosen is named, to be chosen again."""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.builders import NATIONAL_CODE, applicant_post, png_bytes
from tests.clients import tenant_url

pytestmark = pytest.mark.browser

SERVICE = "10901010100"
CLERK_EMAIL, CLERK_PASSWORD = "keeper@gamma.test", "Keeper-Passw0rd-1405"
MOBILE = "09125550011"  # its own number, so that the one-time code limits of other tests stay apart
TEXT = "نگه‌داشتن مقادیر: درخواست پروانه"
TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _in_gamma(django_db_blocker, work):
    with django_db_blocker.unblock(), schema_context("t_gamma"):
        try:
            return work()
        finally:
            connection.set_schema_to_public()


def _request(unit):
    from catalog.models import Service
    from intake.citizen.services import draft_save_step, draft_start, request_submit

    draft = draft_start(service=Service.objects.get(national_id=SERVICE), unit=unit)
    draft_save_step(draft=draft, step="details", values={"text": TEXT})
    draft_save_step(draft=draft, step="applicant", values=applicant_post(mobile=MOBILE))
    return request_submit(token=draft.token)


@pytest.fixture
def gamma_cases(demo_catalog_on_server, django_db_blocker):
    """In gamma, committed: a clerk; a request waiting on the citizen; one being worked on
    (for the letter); one with a survey to answer. All removed afterwards."""
    from accounts.models import User
    from catalog.models import Service, StaffMembership
    from intake.casework.asking import request_ask_citizen
    from intake.casework.workflow import request_accept
    from intake.models import Survey
    from intake.surveys.services import questionnaire_for_service

    def create():
        unit = Service.objects.get(national_id=SERVICE).units.order_by("order", "id").first()
        clerk = User.objects.create_user(email=CLERK_EMAIL, password=CLERK_PASSWORD, role=User.Role.CLERK, full_name="کارشناس نگهدار")
        StaffMembership.objects.create(user=clerk, unit=unit)
        waiting, working, surveyed = _request(unit), _request(unit), _request(unit)
        for service_request in (waiting, working):
            request_accept(service_request=service_request, actor=clerk)
        request_ask_citizen(service_request=waiting, actor=clerk, text="تصویر سند مالکیت را بفرستید.")
        survey = Survey.objects.create(request=surveyed, questionnaire=questionnaire_for_service(surveyed.service))
        return {"clerk": clerk.pk, "waiting": waiting.tracking_code, "working": working.pk, "survey": survey.token}

    cases = _in_gamma(django_db_blocker, create)
    yield cases

    def remove():
        from intake.models import AnswerLetter, ServiceRequest

        mine = ServiceRequest.objects.filter(text=TEXT)
        AnswerLetter.objects.filter(request__in=mine).delete()
        mine.delete()
        StaffMembership.objects.filter(user_id=cases["clerk"]).delete()
        User.objects.filter(pk=cases["clerk"]).delete()

    _in_gamma(django_db_blocker, remove)


def test_tracking_and_the_citizens_reply_keep_what_was_typed(live_server_url, gamma_cases, phone_page, tmp_path, django_db_blocker):
    from notifications.models import SmsMessage

    page, base, code = phone_page, tenant_url(live_server_url, "gamma", ""), gamma_cases["waiting"]
    page.goto(base + "/track/")
    page.get_by_label("کد رهگیری (۱۶ رقم)").fill(code)
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill("09120000000")
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_have_text("درخواستی با این کد رهگیری و این کد ملی یا شماره همراه یافت نشد.")
    expect(page.get_by_label("کد رهگیری (۱۶ رقم)")).to_have_value(code)
    expect(page.get_by_label("کد ملی یا شماره همراه متقاضی")).to_have_value("09120000000")

    # Only the wrong half is corrected; the code is still there.
    page.get_by_label("کد ملی یا شماره همراه متقاضی").fill(NATIONAL_CODE)
    page.get_by_role("button", name="پیگیری").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="ارسال رمز یکبار مصرف").click()
    page.wait_for_load_state()
    text = _in_gamma(django_db_blocker, lambda: SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("id").text)
    otp = re.search(r"[۰-۹]{6}", text).group(0).translate(TO_LATIN)
    wrong = "000000" if otp != "000000" else "111111"
    page.get_by_label("رمز یکبار مصرف (۶ رقم)").fill(wrong)
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_load_state()
    expect(page.get_by_text("رمز یکبار مصرف درست نیست یا منقضی شده است.")).to_be_visible()
    expect(page.get_by_label("رمز یکبار مصرف (۶ رقم)")).to_have_value(wrong)
    page.get_by_label("رمز یکبار مصرف (۶ رقم)").fill(otp)
    page.get_by_role("button", name="تأیید").click()
    page.wait_for_url("**/track/request/")

    # The reply: a "PDF" that is text, and a real picture; the server refuses the first.
    (tmp_path / "sanad.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "naqsheh.png").write_bytes(png_bytes())
    reply = "سند و نقشه پیوست است.\nشماره پلاک ۱۲ است."
    page.get_by_label("پاسخ شما").fill(reply)
    page.get_by_label("پرونده‌ها").set_input_files([str(tmp_path / "sanad.pdf"), str(tmp_path / "naqsheh.png")])
    page.get_by_role("button", name="فرستادن پاسخ").click()
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("نوع «sanad.pdf» پذیرفته نیست")
    expect(page.get_by_label("پاسخ شما")).to_have_value(reply)
    expect(page.get_by_text("پرونده‌های «sanad.pdf»، «naqsheh.png» را دوباره انتخاب کنید.")).to_be_visible()


def _clerk_signs_in(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("پست الکترونیک").fill(CLERK_EMAIL)
    page.get_by_label("گذرواژه", exact=True).fill(CLERK_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url("**/staff/")


def test_the_answer_letter_keeps_what_was_typed(live_server_url, gamma_cases, phone_page, tmp_path):
    page, base = phone_page, tenant_url(live_server_url, "gamma", "")
    _clerk_signs_in(page, base)
    page.goto(base + f"/staff/requests/{gamma_cases['working']}/")
    (tmp_path / "pasokh.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    typed = {
        "مستندات قانونی و استدلال های منجر به پاسخ ارائه شده": "ماده ۱۰۰ قانون شهرداری‌ها و طرح تفصیلی",
        "مفاد اصلی پاسخ": "با صدور پروانه موافقت نمی‌شود.\nپلاک در حریم معبر است.",
        "مهلت اعتراض (روز)": "۳۰",
        "توضیحات": "رونوشت به واحد شهرسازی",
    }
    page.get_by_label("رد درخواست", exact=True).check()
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("پیوست پاسخ").set_input_files(str(tmp_path / "pasokh.pdf"))
    page.get_by_role("button", name="صدور پاسخ").click()  # the objection route is left empty
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("برای رد درخواست، مرجع و مهلت اعتراض را بنویسید.")
    expect(page.get_by_label("رد درخواست", exact=True)).to_be_checked()
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_text("پرونده «pasokh.pdf» را دوباره انتخاب کنید.")).to_be_visible()


def test_the_survey_keeps_the_answers_chosen(live_server_url, gamma_cases, phone_page):
    page = phone_page
    page.goto(tenant_url(live_server_url, "gamma", f"/survey/{gamma_cases['survey']}/"))
    questions = page.locator("fieldset")
    expect(questions).to_have_count(16)
    scale = ["خیلی کم", "کم", "متوسط", "زیاد", "خیلی زیاد"]
    for index in range(15):  # the last question is left out
        questions.nth(index).get_by_label(scale[index % 5], exact=True).check()
    # The browser would stop at the empty question; the server must hold the same line.
    page.locator("form.card").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    page.wait_for_load_state()
    expect(page.locator("p.error")).to_have_text("به همه پرسش‌ها پاسخ دهید.")
    for index in range(15):
        expect(questions.nth(index).get_by_label(scale[index % 5], exact=True)).to_be_checked()
    expect(questions.nth(15).get_by_text("به این پرسش پاسخ دهید.")).to_be_visible()
    expect(questions.nth(15).locator("input:checked")).to_have_count(0)


def test_the_survey_by_keyboard(live_server_url, gamma_cases, phone_page):
    """A citizen answers the survey with the keyboard alone: Tab into each question, the arrow
    keys to the answer, Enter on the button; every stop shows its focus."""
    from tests.keyboard import Keyboard

    page, keys = phone_page, Keyboard(phone_page)
    page.goto(tenant_url(live_server_url, "gamma", f"/survey/{gamma_cases['survey']}/"))
    questions = page.locator("fieldset")
    expect(questions).to_have_count(16)
    scale = ["خیلی کم", "کم", "متوسط", "زیاد", "خیلی زیاد"]
    for index in range(16):
        keys.press(questions.nth(index).get_by_label(scale[0], exact=True), " ")  # Tab lands on a group's first answer
        for _ in range(index % 5):
            page.keyboard.press("ArrowDown")  # the next answer, chosen as it is reached
        expect(questions.nth(index).get_by_label(scale[index % 5], exact=True)).to_be_checked()
    keys.go(page.get_by_role("button", name="ثبت فرم پرسش نامه"))
    expect(page.get_by_role("status")).to_contain_text("پاسخ شما ثبت شد.")
    keys.assert_all_seen()


def test_the_citizens_reply_by_keyboard(live_server_url, gamma_cases, phone_page, tmp_path, django_db_blocker):
    """Asked for a document, a citizen tracks the request, confirms with the one-time code and
    sends the reply with a file, with the keyboard alone (the file chosen from the dialog that
    Space on the file field opens)."""
    from notifications.models import SmsMessage
    from tests.keyboard import Keyboard

    page, keys = phone_page, Keyboard(phone_page)
    page.goto(tenant_url(live_server_url, "gamma", "/track/"))
    keys.type(page.get_by_label("کد رهگیری (۱۶ رقم)"), gamma_cases["waiting"])
    keys.type(page.get_by_label("کد ملی یا شماره همراه متقاضی"), NATIONAL_CODE)
    keys.go(page.get_by_role("button", name="پیگیری"))
    keys.go(page.get_by_role("button", name="ارسال رمز یکبار مصرف"))
    text = _in_gamma(django_db_blocker, lambda: SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("id").text)
    keys.type(page.get_by_label("رمز یکبار مصرف (۶ رقم)"), re.search(r"[۰-۹]{6}", text).group(0).translate(TO_LATIN))
    keys.go(page.get_by_role("button", name="تأیید"))
    expect(page).to_have_url(re.compile(r"/track/request/$"))

    (tmp_path / "naqsheh.png").write_bytes(png_bytes())
    keys.type(page.get_by_label("پاسخ شما"), "نقشه پیوست است.")
    keys.tab_to(page.get_by_label("پرونده‌ها"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # a file field is a button: Space opens its dialog
    chooser.value.set_files(str(tmp_path / "naqsheh.png"))
    keys.go(page.get_by_role("button", name="فرستادن پاسخ"))
    expect(page.locator("ul.messages")).not_to_contain_text("پذیرفته نیست")
    expect(page.locator("main")).to_contain_text("نقشه پیوست است.")
    keys.assert_all_seen()

    def sent():
        from intake.models import RequestMessage

        reply = RequestMessage.objects.filter(request__tracking_code=gamma_cases["waiting"], text="نقشه پیوست است.").get()
        return [f.display_name for f in reply.files.all()]

    assert _in_gamma(django_db_blocker, sent) == ["naqsheh.png"]
