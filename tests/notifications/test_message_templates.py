"""Admins edit the wording of every citizen SMS and e-mail; placeholders are checked first."""

from django_tenants.utils import schema_context

from notifications.messages import message_text
from notifications.models import MessageTemplate, SmsMessage
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, user_make
from tests.clients import Wizard, signed_in


def test_an_edited_receipt_sms_is_what_the_citizen_gets(alpha_catalog, client_a, tenant_a, django_capture_on_commit_callbacks):
    admin = signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    response = admin.post("/staff/messages/", {"event": "receipt", "sms": "شهرداری آلفا: درخواست شما با کد {code} ثبت شد؛ پاسخ تا {date}."})
    assert response.status_code == 302
    wizard = Wizard(client_a).start().fill(files=())
    with django_capture_on_commit_callbacks(execute=True):
        wizard.submit()
    with schema_context(tenant_a.schema_name):
        text = SmsMessage.objects.filter(purpose="receipt").latest("id").text
    assert text.startswith("شهرداری آلفا: درخواست شما با کد ") and "؛ پاسخ تا " in text


def test_unknown_or_missing_placeholders_are_refused_and_nothing_is_saved(client_a, tenant_a):
    admin = signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    page = admin.post("/staff/messages/", {"event": "receipt", "sms": "کد شما {tracking}"}).content.decode()
    assert "جای‌نگهدار ناشناخته: {tracking}" in page
    page = admin.post("/staff/messages/", {"event": "receipt", "sms": "درخواست ثبت شد."}).content.decode()
    assert "متن پیامک باید {code} را داشته باشد." in page
    page = admin.post("/staff/messages/", {"event": "answer", "sms": "پاسخ {code} {", "email_subject": "x", "email_body": "y"}).content.decode()
    assert "آکولادها" in page
    with schema_context(tenant_a.schema_name):
        assert not MessageTemplate.objects.exists()


def test_reset_and_tenant_isolation(client_a, client_b, tenant_a, tenant_b):
    signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"]).post("/staff/messages/", {"event": "survey", "sms": "نظر شما درباره {service}: {link}"})
    with schema_context(tenant_b.schema_name):
        assert message_text(event="survey", field="sms", service="خ", code="1", link="L").startswith("از شما برای ارزیابی")
    with schema_context(tenant_a.schema_name):
        assert message_text(event="survey", field="sms", service="خ", code="1", link="L") == "نظر شما درباره خ: L"
    client_a.post("/staff/messages/", {"event": "survey", "reset": "1"})
    with schema_context(tenant_a.schema_name):
        assert not MessageTemplate.objects.exists()


def test_only_admins_edit_messages(client_a, tenant_a):

    with schema_context(tenant_a.schema_name):
        user_make(email="c7@alpha.test", role="clerk")
    client_a.post("/accounts/login/", {"login": "c7@alpha.test", "password": STAFF_PASSWORD})
    assert client_a.get("/staff/messages/").status_code == 403
    assert client_a.post("/staff/messages/", {"event": "receipt", "sms": "{code}"}).status_code == 403
    with schema_context(tenant_a.schema_name):
        assert not MessageTemplate.objects.exists()


def test_kept_templates_cost_no_query_and_an_edit_or_reset_shows_on_the_next_message(client_a, tenant_a, tenant_b, settings, django_assert_num_queries):
    """Each web process keeps a tenant's templates (every submit writes a receipt from them)
    until an admin saves or resets one: the next message already has the change."""
    settings.PORTAL_CATALOGUE_KEEP_SECONDS = 60

    def survey_sms(tenant):
        with schema_context(tenant.schema_name):
            return message_text(event="survey", field="sms", service="خ", code="1", link="L")

    default = survey_sms(tenant_a)
    with django_assert_num_queries(0):
        assert survey_sms(tenant_a) == default
    admin = signed_in(client_a, SESSION_TENANTS["alpha"]["admin_email"])
    assert admin.post("/staff/messages/", {"event": "survey", "sms": "نظر شما درباره {service}: {link}"}).status_code == 302
    assert survey_sms(tenant_a) == "نظر شما درباره خ: L"
    assert survey_sms(tenant_b) == default  # another tenant keeps its own
    admin.post("/staff/messages/", {"event": "survey", "reset": "1"})
    assert survey_sms(tenant_a) == default
