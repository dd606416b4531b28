"""Tenant admins' own questionnaires at /staff/surveys/: one chosen per service is what that
service's new surveys ask and score per axis; other services keep the default; admins only,
and each tenant's questionnaires are its own."""

import re

from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import CardAudit, Service
from intake.citizen.services import draft_save_step, draft_start, request_submit
from intake.models import Questionnaire, Survey
from intake.surveys.services import survey_invite_after_answer
from notifications.models import SmsMessage
from tests.builders import SERVICE, SESSION_TENANTS, STAFF_PASSWORD, applicant_post, demo_units, letter_post, request_submitted_make, user_make
from tests.clients import host_client, staff_client

TITLE = "نظرسنجی پروانه ساختمان"
OWN = {"title": TITLE, "text": ["آیا نقشه‌ها به روشنی بررسی شد؟", "آیا پروانه به موقع صادر شد؟", "", ""],
       "axis": ["کیفیت بررسی", "زمان صدور", "", ""]}


def _admin(client, slug="alpha"):
    client.post("/accounts/login/", {"login": SESSION_TENANTS[slug]["admin_email"], "password": STAFF_PASSWORD})
    return client


def _own_for_permit_service(admin) -> Questionnaire:
    assert admin.post("/staff/surveys/new/", OWN).status_code == 302
    with schema_context("t_alpha"):
        own = Questionnaire.objects.get(title=TITLE)
        service = Service.objects.get(national_id=SERVICE)
    assert admin.post("/staff/surveys/services/", {f"service_{service.pk}": str(own.pk)}).status_code == 302
    return own


def _request_of_another_service():
    with schema_context("t_alpha"):
        service = Service.objects.exclude(national_id=SERVICE).filter(status="published", online_request=True).order_by("id").first()
        draft = draft_start(service=service, unit=None, channel="online", assisted_by="")
        draft_save_step(draft=draft, step="details", values={"text": "درخواست برای پلاک ۱۲"})
        draft_save_step(draft=draft, step="applicant", values=applicant_post())
        return request_submit(token=draft.token)


def test_a_service_with_its_own_questionnaire_asks_and_scores_it(alpha_catalog, client_a, tenant_a):
    admin = _admin(client_a)
    own = _own_for_permit_service(admin)
    page = admin.get("/staff/surveys/").content.decode()
    assert TITLE in page and f'<option value="{own.pk}" selected>' in page
    with schema_context("t_alpha"):
        assert own.questions == [{"axis": "کیفیت بررسی", "text": "آیا نقشه‌ها به روشنی بررسی شد؟"},
                                 {"axis": "زمان صدور", "text": "آیا پروانه به موقع صادر شد؟"}]
        assert CardAudit.objects.filter(action="questionnaire", national_id=SERVICE).get().after == {"questionnaire": TITLE}

    _, district_1, _ = demo_units()
    service_request = request_submitted_make(unit=district_1)
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk@alpha.test", unit=district_1))
    clerk.post(f"/staff/requests/{service_request.pk}/accept/")
    clerk.post(f"/staff/requests/{service_request.pk}/letter/", letter_post())
    with schema_context("t_alpha"):
        path = re.search(r"/survey/[^/\s]+/", SmsMessage.objects.filter(purpose="survey").get().text).group(0)
    citizen = host_client("alpha.localhost")
    survey_page = citizen.get(path).content.decode()
    assert "آیا پروانه به موقع صادر شد؟" in survey_page and "زمان صدور" in survey_page
    assert "شفافیت فرایندی" not in survey_page and survey_page.count('type="radio"') == 10
    assert "پاسخ شما ثبت شد" in citizen.post(path, {"q1": "4", "q2": "2"}).content.decode()
    with schema_context("t_alpha"):
        survey = Survey.objects.get(request_id=service_request.pk)
        assert survey.questionnaire_id == own.pk and survey.axis_scores == {"کیفیت بررسی": 4, "زمان صدور": 2}

    # Back to the default: the survey already made keeps its questionnaire.
    with schema_context("t_alpha"):
        service = Service.objects.get(national_id=SERVICE)
    admin.post("/staff/surveys/services/", {f"service_{service.pk}": ""})
    with schema_context("t_alpha"):
        assert Survey.objects.get(request_id=service_request.pk).questionnaire_id == own.pk
        assert not Service.objects.filter(pk=service.pk, questionnaire_choice__isnull=False).exists()


def test_other_services_keep_the_default(alpha_catalog, client_a, tenant_a):
    _own_for_permit_service(_admin(client_a))
    other = _request_of_another_service()
    with schema_context("t_alpha"):
        survey = survey_invite_after_answer(service_request=other, tenant=tenant_a)
        assert survey.questionnaire.is_default and len(survey.questionnaire.questions) == 16
    page = host_client("alpha.localhost").get(f"/survey/{survey.token}/").content.decode()
    assert "شفافیت فرایندی" in page and "آیا پروانه به موقع صادر شد؟" not in page


def test_a_questionnaire_needs_questions_each_with_text_and_axis(client_a, tenant_a):
    admin = _admin(client_a)
    empty = admin.post("/staff/surveys/new/", {"title": "", "text": ["", ""], "axis": ["", ""]})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "پرسشنامه دست‌کم یک پرسش لازم دارد." in page and "عنوان پرسشنامه را بنویسید." in page
    page = admin.post("/staff/surveys/new/", {"title": TITLE, "text": ["پرسش یکم", "", "پرسش سوم"],
                                              "axis": ["محور", "محور تنها", ""]}).content.decode()
    assert "پرسش ۲ متن ندارد." in page and "پرسش ۳ محور ندارد." in page and 'value="پرسش سوم"' in page
    with schema_context(tenant_a.schema_name):
        assert not Questionnaire.objects.filter(is_default=False).exists()


def test_a_clerk_is_refused(alpha_catalog, tenant_a):
    _, district_1, _ = demo_units()
    clerk = staff_client(user_make(role=User.Role.CLERK, email="clerk9@alpha.test", unit=district_1))
    assert clerk.get("/staff/surveys/").status_code == 403
    assert clerk.post("/staff/surveys/new/", OWN).status_code == 403
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id=SERVICE)
    assert clerk.post("/staff/surveys/services/", {f"service_{service.pk}": ""}).status_code == 403
    with schema_context(tenant_a.schema_name):
        assert not Questionnaire.objects.filter(title=TITLE).exists()


def test_another_tenants_admin_never_sees_it(alpha_catalog, client_a, client_b, tenant_b):
    own = _own_for_permit_service(_admin(client_a))
    beta = _admin(client_b, "beta")
    page = beta.get("/staff/surveys/")
    assert page.status_code == 200 and TITLE not in page.content.decode()
    with schema_context(tenant_b.schema_name):
        assert not Questionnaire.objects.filter(title=TITLE).exists()
        assert not Questionnaire.objects.filter(pk=own.pk, is_default=False).exists()
