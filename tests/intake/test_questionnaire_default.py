"""The default questionnaire is read without being written: the admins' page shows seed 002's
questions before any survey, and the first survey stores it (questionnaire_default_ensure)."""

from django_tenants.utils import schema_context

from intake.models import Questionnaire
from intake.surveys.services import questionnaire_default, questionnaire_default_ensure
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD


def test_reading_the_default_stores_nothing(client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        Questionnaire.objects.all().delete()
        default = questionnaire_default()
        assert default.pk is None and default.is_default and len(default.questions) == 16
    client_a.post("/accounts/login/", {"login": SESSION_TENANTS["alpha"]["admin_email"], "password": STAFF_PASSWORD})
    page = client_a.get("/staff/surveys/").content.decode()
    assert "پرسشنامه نظرسنجی میز خدمت (پیش‌فرض، ۱۶ پرسش)" in page
    with schema_context(tenant_a.schema_name):
        assert not Questionnaire.objects.exists()


def test_ensuring_the_default_stores_it_once(tenant_a):
    with schema_context(tenant_a.schema_name):
        Questionnaire.objects.all().delete()
        stored = questionnaire_default_ensure()
        assert stored.pk and questionnaire_default_ensure() == stored == questionnaire_default()
        assert Questionnaire.objects.count() == 1
