"""The catalogue editor: tenant admins only; pick from the mirror, edit, publish; Persian errors."""

from django_tenants.utils import schema_context

from accounts.models import User
from catalog.models import Service
from tests.builders import SESSION_TENANTS, STAFF_PASSWORD, unit_make, user_make


def _management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _card_post(**overrides):
    data = {
        "common_name": "", "service_types": ["G2B"], "description": "صدور مجوز نصب تابلو برای کسب‌وکارها",
        "required_documents": "پروانه کسب\nطرح تابلو", "average_days": "5", "service_hours": "شنبه تا چهارشنبه",
        "visits_count": "0", "service_level": "region", "online_request": "on", "responsible_name": "کارشناس تابلو",
        "attachment_max_files": "2", "attachment_max_kb": "800", "attachment_types": "pdf,jpg",
    }
    for prefix in ("fees", "laws", "faqs", "stages", "forms"):
        data.update(_management(prefix))
    data.update(overrides)
    return data


def test_admin_picks_edits_and_publishes(mirror, admin_a, tenant_a):
    found = admin_a.get("/staff/catalog/add/", {"q": "تابلو"}).content.decode()
    assert "صدور مجوز نصب تابلو" in found
    assert admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"}).status_code == 302
    with schema_context(tenant_a.schema_name):

        unit = unit_make(name="ستاد", kind="headquarters")
    data = _card_post(units=[str(unit.pk)])
    data.update(_management("stages", 1))
    data.update({"stages-0-order": "1", "stages-0-name": "بررسی طرح تابلو", "stages-0-target_days": "3", "stages-0-unit": str(unit.pk)})
    assert admin_a.post("/staff/catalog/10901070000/", data).status_code == 302
    response = admin_a.post("/staff/catalog/10901070000/publish/", follow=True)
    assert "شناسنامه منتشر شد" in response.content.decode()
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901070000")
        assert service.is_published and service.stages.get().name == "بررسی طرح تابلو"
        assert list(service.audits.values_list("action", flat=True).order_by("id")) == ["added", "edited", "published"]


def test_a_wrong_sheba_is_refused_at_the_field_and_nothing_is_saved(mirror, admin_a, tenant_a):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    data = _card_post(description="نباید ذخیره شود")
    data.update(_management("fees", 1))
    data.update({"fees-0-title": "هزینه", "fees-0-amount_rial": "1000", "fees-0-sheba": "IR000000000000000000000001", "fees-0-bank": "ملی", "fees-0-order": "0"})
    page = admin_a.post("/staff/catalog/10901070000/", data).content.decode()
    assert "شماره شبا باید با IR و ۲۴ رقم باشد" in page
    with schema_context(tenant_a.schema_name):
        assert Service.objects.get(national_id="10901070000").description == ""


def test_publishing_an_incomplete_card_lists_what_is_missing(mirror, admin_a):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    page = admin_a.post("/staff/catalog/10901070000/publish/", follow=True).content.decode()
    assert "منتشر نشد" in page and "شرح خدمت نوشته شده است" in page


def test_clerks_cannot_edit_the_catalogue(mirror, client_a, tenant_a):
    with schema_context(tenant_a.schema_name):
        user_make(email="clerk2@alpha.test", role=User.Role.CLERK)
    client_a.post("/accounts/login/", {"login": "clerk2@alpha.test", "password": STAFF_PASSWORD})
    assert client_a.get("/staff/catalog/").status_code == 403
    assert client_a.post("/staff/catalog/add/", {"national_id": "10901070000"}).status_code == 403
    with schema_context(tenant_a.schema_name):
        assert not Service.objects.filter(national_id="10901070000").exists()


def test_beta_admin_cannot_reach_alphas_cards(alpha_catalog, client_b):
    client_b.post("/accounts/login/", {"login": SESSION_TENANTS["beta"]["admin_email"], "password": STAFF_PASSWORD})
    assert client_b.get("/staff/catalog/10901010100/").status_code == 404
    assert "صدور پروانه ساختمان" not in client_b.get("/staff/catalog/").content.decode()


def test_a_refused_card_keeps_what_was_typed_and_names_each_file_to_choose_again(mirror, admin_a, tenant_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    data = _card_post(description="شرح تازه‌ای که نباید گم شود")
    data.update(_management("fees", 1))
    data.update({"fees-0-title": "هزینه بررسی", "fees-0-amount_rial": "1000", "fees-0-sheba": "IR000000000000000000000001", "fees-0-bank": "ملی", "fees-0-order": "0"})
    data.update(_management("forms", 1))
    data.update({"forms-0-title": "فرم درخواست تابلو", "forms-0-file": SimpleUploadedFile("form-tablo.pdf", b"%PDF-1.4\n%%EOF\n")})
    data["bpmn_external_file"] = SimpleUploadedFile("birooni.bpmn", b"<definitions/>")
    response = admin_a.post("/staff/catalog/10901070000/", data)
    page = response.content.decode()
    assert "شماره شبا باید با IR و ۲۴ رقم باشد" in page
    assert "شرح تازه‌ای که نباید گم شود" in page and 'value="هزینه بررسی"' in page and 'value="فرم درخواست تابلو"' in page
    assert "پرونده «form-tablo.pdf» را دوباره انتخاب کنید." in page
    assert "پرونده «birooni.bpmn» را دوباره انتخاب کنید." in page


def test_a_javascript_law_url_is_refused_at_the_field(mirror, admin_a, tenant_a):
    admin_a.post("/staff/catalog/add/", {"national_id": "10901070000"})
    data = _card_post(description="نباید ذخیره شود")
    data.update(_management("laws", 1))
    data.update({"laws-0-title": "قانون شهرداری‌ها", "laws-0-url": "javascript:alert(document.cookie)", "laws-0-order": "0"})
    page = admin_a.post("/staff/catalog/10901070000/", data).content.decode()
    assert "فقط نشانی‌هایی که با http:// یا https:// آغاز می‌شوند پذیرفته می‌شوند." in page
    with schema_context(tenant_a.schema_name):
        service = Service.objects.get(national_id="10901070000")
        assert service.description == "" and not service.laws.exists()
